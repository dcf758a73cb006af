// Package arabic holds khabar's knowledge of Arabic-script text:
// normalization for search and comparison, digits, stop words, sentence
// boundaries, clitic stripping and a light stemmer that leaves names alone,
// and a small language detector for the languages Arabic-script news uses.
//
// Everything here works on strings and imports only the standard library and
// golang.org/x/text (for NFKC of presentation forms); its tables are built
// once and never change, so every function is safe for concurrent use.
package arabic
