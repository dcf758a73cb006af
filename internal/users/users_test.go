package users

import (
	"strings"
	"testing"

	"khabar/internal/model"
)

func TestHashPassword(t *testing.T) {
	h, err := HashPassword("كلمة سر طويلة")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q is not an argon2id PHC string with the expected costs", h)
	}
	if !VerifyPassword(h, "كلمة سر طويلة") {
		t.Error("the password does not verify against its own hash")
	}
	for _, bad := range []string{"كلمة سر طويلة ", "", "password"} {
		if VerifyPassword(h, bad) {
			t.Errorf("%q verifies", bad)
		}
	}
	h2, _ := HashPassword("كلمة سر طويلة")
	if h2 == h {
		t.Error("two hashes of one password are equal: no salt")
	}
	for _, broken := range []string{"", "$argon2id$", "$argon2i$v=19$m=19456,t=2,p=1$AAAA$AAAA", "$argon2id$v=19$m=0,t=2,p=1$AAAA$AAAA",
		"$argon2id$v=19$m=99999999,t=2,p=1$AAAA$AAAA", strings.Replace(h, "$v=19$", "$v=18$", 1)} {
		if VerifyPassword(broken, "x") {
			t.Errorf("broken hash %q verifies", broken)
		}
	}
}

func TestFeverKey(t *testing.T) {
	// The hex MD5 of "name:password" (values from coreutils md5sum).
	for _, c := range []struct{ name, pw, want string }{
		{"admin", "admin", "d2abaa37a7c3db1137d385e1d8c15fd2"},
		{"user", "pass", "21a39285884a268d6458e3fdeb08beac"},
	} {
		if got := FeverKey(c.name, c.pw); got != c.want {
			t.Errorf("FeverKey(%q, %q) = %s, want %s", c.name, c.pw, got, c.want)
		}
	}
}

func TestCheckName(t *testing.T) {
	for _, ok := range []string{"salma", "سلمى", "a.b-c_d@e"} {
		if err := CheckName(ok); err != nil {
			t.Errorf("CheckName(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"", "a b", "a:b", "a/b", "a\x00", strings.Repeat("x", 65), "\xff"} {
		if CheckName(bad) == nil {
			t.Errorf("CheckName(%q) accepted it", bad)
		}
	}
}

func TestTokens(t *testing.T) {
	tk, err := NewTokens([]byte("0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	u := model.User{ID: 3, Name: "salma", PasswordHash: "h1"}
	a := tk.Issue(u, PurposeAuth)
	w := tk.Issue(u, PurposeWrite)
	if a == w || !strings.HasPrefix(a, "salma/") {
		t.Errorf("auth %q, write %q", a, w)
	}
	u2 := u
	u2.PasswordHash = "h2"
	if tk.Issue(u2, PurposeAuth) == a {
		t.Error("a new password keeps the old token")
	}
	if _, err := NewTokens([]byte("short")); err == nil {
		t.Error("a short key is accepted")
	}
}
