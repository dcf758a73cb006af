package apitest

import (
	"context"
	"fmt"
	"time"

	"khabar/internal/model"
	"khabar/internal/store"
)

// NoUsers is a store.Users that keeps no accounts: every look-up is
// store.ErrNotFound and every write store.ErrInvalid. It is the accounts
// part of the in-memory Store; tests of accounts use a real backend.
type NoUsers struct{}

var errNoUsers = fmt.Errorf("apitest: the in-memory store keeps no accounts: %w", store.ErrNotFound)
var errNoWrite = fmt.Errorf("apitest: the in-memory store keeps no accounts: %w", store.ErrInvalid)

func (NoUsers) AddUser(context.Context, *model.User) error         { return errNoWrite }
func (NoUsers) GetUser(context.Context, int64) (model.User, error) { return model.User{}, errNoUsers }
func (NoUsers) GetUserByName(context.Context, string) (model.User, error) {
	return model.User{}, errNoUsers
}
func (NoUsers) GetUserByFeverKey(context.Context, string) (model.User, error) {
	return model.User{}, errNoUsers
}
func (NoUsers) ListUsers(context.Context) ([]model.User, error)            { return nil, nil }
func (NoUsers) DeleteUser(context.Context, int64) error                    { return errNoUsers }
func (NoUsers) SetPasswordHash(context.Context, int64, string) error       { return errNoUsers }
func (NoUsers) SetFeverKey(context.Context, int64, string) error           { return errNoUsers }
func (NoUsers) Follow(context.Context, int64, model.Follow) error          { return errNoUsers }
func (NoUsers) Unfollow(context.Context, int64, model.Follow) error        { return errNoUsers }
func (NoUsers) ListFollows(context.Context, int64) ([]model.Follow, error) { return nil, nil }
func (NoUsers) RenameLabel(context.Context, int64, string, string) error   { return errNoUsers }
func (NoUsers) DeleteLabel(context.Context, int64, string) error           { return errNoUsers }
func (NoUsers) SetRead(context.Context, int64, []int64, bool) error        { return errNoUsers }
func (NoUsers) SetStarred(context.Context, int64, []int64, bool) error     { return errNoUsers }
func (NoUsers) MarkRead(context.Context, store.ItemQuery) (int, error)     { return 0, errNoUsers }
func (NoUsers) ItemIDs(context.Context, store.ItemQuery) ([]int64, error)  { return []int64{}, nil }
func (NoUsers) StarredArticleIDs(context.Context) ([]int64, error)         { return []int64{}, nil }
func (NoUsers) SetArticleLabel(context.Context, int64, []int64, string, bool) error {
	return errNoUsers
}
func (NoUsers) CountItems(context.Context, store.ItemQuery) (int, time.Time, error) {
	return 0, time.Time{}, nil
}
func (NoUsers) ItemStates(context.Context, int64, []int64) (map[int64]store.ItemState, error) {
	return map[int64]store.ItemState{}, nil
}
