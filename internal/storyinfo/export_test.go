package storyinfo

// StaleBatch is staleBatch, for the external tests.
const StaleBatch = staleBatch
