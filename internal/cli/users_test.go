package cli

import (
	"context"
	"strings"
	"testing"

	"khabar/internal/store/sqlite"
	"khabar/internal/users"
)

func TestUsersCommand(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	if code, _, errOut := runCode(ctx, data, "", "users", "add", "salma", "secret-password"); code != 2 || !strings.Contains(errOut, "never taken as an argument") {
		t.Errorf("a password as an argument: exit %d, %q", code, errOut)
	}
	if code, _, errOut := runCode(ctx, data, "", "users", "add", "salma"); code != 1 || !strings.Contains(errOut, "no password") {
		t.Errorf("no password on stdin: exit %d, %q", code, errOut)
	}
	if code, _, errOut := runCode(ctx, data, "short\n", "users", "add", "salma"); code != 1 || !strings.Contains(errOut, "shorter than 8") {
		t.Errorf("short password: exit %d, %q", code, errOut)
	}
	if code, out, errOut := runCode(ctx, data, "كلمة-سر-طويلة\n", "users", "add", "salma"); code != 0 || !strings.Contains(out, "added user salma") {
		t.Fatalf("users add: exit %d, %q %q", code, out, errOut)
	}
	if code, _, errOut := runCode(ctx, data, "another-password\n", "users", "add", "salma"); code != 1 || !strings.Contains(errOut, "exists already") {
		t.Errorf("adding a name twice: exit %d, %q", code, errOut)
	}
	if code, _, errOut := runCode(ctx, data, "x\n", "users", "add", "bad name"); code != 2 || !strings.Contains(errOut, "name holds") {
		t.Errorf("a bad name: exit %d, %q", code, errOut)
	}
	if code, out, _ := runCode(ctx, data, "fever-pass\n", "users", "fever", "salma"); code != 0 || !strings.Contains(out, "Fever API on") {
		t.Errorf("users fever: exit %d, %q", code, out)
	}
	if code, out, _ := runCode(ctx, data, "", "users", "list"); code != 0 || !strings.Contains(out, "salma") || !strings.Contains(out, "on") {
		t.Errorf("users list: exit %d, %q", code, out)
	}
	check := func(pw string, fever string) {
		t.Helper()
		st, err := sqlite.Open(ctx, data)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		u, err := users.Login(ctx, st, "salma", pw)
		if err != nil {
			t.Errorf("login with %q: %v", pw, err)
		}
		if u.FeverKey != users.FeverKey("salma", fever) {
			t.Errorf("fever key %q, want md5(salma:%s)", u.FeverKey, fever)
		}
		if strings.Contains(u.PasswordHash, pw) {
			t.Error("the password is stored in the clear")
		}
	}
	check("كلمة-سر-طويلة", "fever-pass")
	if code, out, _ := runCode(ctx, data, "new-password-1\n", "users", "password", "salma"); code != 0 || !strings.Contains(out, "changed the password") {
		t.Errorf("users password: exit %d, %q", code, out)
	}
	check("new-password-1", "fever-pass")
	if code, _, errOut := runCode(ctx, data, "", "users", "remove", "nobody"); code != 1 || !strings.Contains(errOut, `no user "nobody"`) {
		t.Errorf("removing an unknown user: exit %d, %q", code, errOut)
	}
	if code, out, _ := runCode(ctx, data, "", "users", "remove", "salma"); code != 0 || !strings.Contains(out, "removed user salma") {
		t.Errorf("users remove: exit %d, %q", code, out)
	}
	if code, out, _ := runCode(ctx, data, "", "users", "list"); code != 0 || strings.Contains(out, "salma") {
		t.Errorf("users list after remove: %q", out)
	}
}
