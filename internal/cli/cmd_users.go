package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/term"

	"khabar/internal/model"
	"khabar/internal/store"
	"khabar/internal/users"
)

func runUsers(ctx context.Context, a *app, args []string) error {
	const want = "add, list, remove, password or fever"
	if len(args) == 0 {
		return usagef("want a subcommand: %s", want)
	}
	sub, args := args[0], args[1:]
	if sub == "list" {
		if len(args) != 0 {
			return usagef("users list takes no arguments")
		}
		return usersList(ctx, a)
	}
	switch sub {
	case "add", "remove", "rm", "password", "fever":
	default:
		return usagef("unknown subcommand %q: want %s", sub, want)
	}
	fs := newFlags(a, "users "+sub)
	off := false
	if sub == "fever" {
		fs.BoolVar(&off, "off", false, "turn the Fever API off for the user")
	}
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("users %s wants one user name (a password is read from standard input, never taken as an argument)", sub)
	}
	name := pos[0]
	if err := users.CheckName(name); err != nil {
		return usagef("%v", err)
	}
	st, err := a.store(ctx)
	if err != nil {
		return err
	}
	if sub == "add" {
		pw, err := a.readPassword("password for " + name)
		if err != nil {
			return err
		}
		hash, err := users.HashPassword(pw)
		if err != nil {
			return err
		}
		u := &model.User{Name: name, PasswordHash: hash}
		if err := st.AddUser(ctx, u); errors.Is(err, store.ErrConflict) {
			return fmt.Errorf("user %q exists already", name)
		} else if err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "added user %s (id %d)\n", name, u.ID)
		return nil
	}
	u, err := st.GetUserByName(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("no user %q (see khabar users list)", name)
	} else if err != nil {
		return err
	}
	switch sub {
	case "remove", "rm":
		if err := st.DeleteUser(ctx, u.ID); err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "removed user %s and its reading state\n", name)
	case "password":
		pw, err := a.readPassword("new password for " + name)
		if err != nil {
			return err
		}
		hash, err := users.HashPassword(pw)
		if err != nil {
			return err
		}
		if err := st.SetPasswordHash(ctx, u.ID, hash); err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "changed the password of %s; its API tokens no longer work\n", name)
	case "fever":
		key := ""
		if !off {
			pw, err := a.readPassword("Fever password for " + name)
			if err != nil {
				return err
			}
			key = users.FeverKey(name, pw)
		}
		if err := st.SetFeverKey(ctx, u.ID, key); err != nil {
			return err
		}
		if off {
			fmt.Fprintf(a.stdout, "turned the Fever API off for %s\n", name)
		} else {
			fmt.Fprintf(a.stdout, "turned the Fever API on for %s (only the key's MD5 is kept)\n", name)
		}
	}
	return nil
}

func usersList(ctx context.Context, a *app) error {
	st, err := a.store(ctx)
	if err != nil {
		return err
	}
	us, err := st.ListUsers(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tFEVER\tCREATED")
	for _, u := range us {
		fever := "off"
		if u.FeverKey != "" {
			fever = "on"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", u.ID, u.Name, fever, u.CreatedAt.Format(time.DateOnly))
	}
	return tw.Flush()
}

// readPassword reads a password: from a prompt without echo, twice, when
// standard input is a terminal; else the first line of standard input.
func (a *app) readPassword(what string) (string, error) {
	if f, ok := a.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprintf(a.stderr, "%s: ", what)
		p1, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(a.stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		fmt.Fprintf(a.stderr, "again: ")
		p2, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(a.stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		if string(p1) != string(p2) {
			return "", errors.New("the two passwords differ")
		}
		return string(p1), users.CheckPassword(string(p1))
	}
	if a.stdin == nil {
		return "", errors.New("no password: standard input is empty")
	}
	line, err := bufio.NewReader(io.LimitReader(a.stdin, users.MaxPassword+2)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", errors.New("no password: standard input is empty (pipe one line, or run in a terminal for a prompt)")
	}
	return pw, users.CheckPassword(pw)
}
