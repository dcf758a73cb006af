// Package users is what khabar knows of accounts beside the store: how a
// password is hashed and checked (argon2id, from golang.org/x/crypto), the
// Fever API key, which names are allowed, and the signed tokens the Google
// Reader API hands out after a login.
package users

import (
	"context"
	"crypto/hmac"
	"crypto/md5"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"khabar/internal/model"
	"khabar/internal/store"
)

// ErrBadLogin is a name and password (or token) that do not match an
// account. It never says which of the two was wrong.
var ErrBadLogin = errors.New("users: wrong name or password")

// Argon2id parameters: OWASP's minimum (19 MiB, two passes, one lane), so
// that a login costs a few tens of milliseconds and a machine serving many
// readers does not run out of memory.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024 // KiB
	argonThreads = 1
	argonKeyLen  = 32
	saltLen      = 16
)

// MinPassword and MaxPassword bound a password's length in bytes.
const (
	MinPassword = 8
	MaxPassword = 1024
)

var b64 = base64.RawStdEncoding

// CheckName reports why name cannot be a user's name: empty, longer than
// 64 characters, or holding a space, a control character, ':' (Fever's key
// joins name and password with it) or '/' (the reader tokens use it).
func CheckName(name string) error {
	switch {
	case name == "":
		return errors.New("users: empty name")
	case !utf8.ValidString(name):
		return errors.New("users: the name is not valid UTF-8")
	case utf8.RuneCountInString(name) > 64:
		return errors.New("users: the name is longer than 64 characters")
	}
	for _, r := range name {
		if unicode.IsSpace(r) || unicode.IsControl(r) || r == ':' || r == '/' || !unicode.IsPrint(r) {
			return fmt.Errorf("users: the name holds %q; use letters, digits, '.', '-', '_' or '@'", r)
		}
	}
	return nil
}

// CheckPassword reports why pw cannot be a password.
func CheckPassword(pw string) error {
	switch {
	case len(pw) < MinPassword:
		return fmt.Errorf("users: the password is shorter than %d bytes", MinPassword)
	case len(pw) > MaxPassword:
		return fmt.Errorf("users: the password is longer than %d bytes", MaxPassword)
	}
	return nil
}

// HashPassword returns pw's argon2id hash in the PHC string format
// ($argon2id$v=19$m=…,t=…,p=…$salt$hash), with a fresh random salt.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("users: no randomness for a salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword reports whether pw matches the encoded hash (with the
// parameters the hash names, so hashes made with other costs still work).
func VerifyPassword(encoded, pw string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || m > 1<<21 || t == 0 || t > 64 || p == 0 {
		return false
	}
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 || len(want) > 128 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// FeverKey is the Fever API key of a name and a Fever password: the hex
// MD5 of "name:password", as the protocol defines it.
func FeverKey(name, pw string) string {
	sum := md5.Sum([]byte(name + ":" + pw))
	return hex.EncodeToString(sum[:])
}

// Login checks a name and password against the store.
func Login(ctx context.Context, st store.Users, name, pw string) (model.User, error) {
	if CheckName(name) != nil || len(pw) > MaxPassword {
		return model.User{}, ErrBadLogin
	}
	u, err := st.GetUserByName(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		// Spend the time a real check takes, so timing does not tell
		// which names exist.
		VerifyPassword(dummyHash(), pw)
		return model.User{}, ErrBadLogin
	}
	if err != nil {
		return model.User{}, fmt.Errorf("users: login: %w", err)
	}
	if !VerifyPassword(u.PasswordHash, pw) {
		return model.User{}, ErrBadLogin
	}
	return u, nil
}

// dummyHash is a valid hash of no one's password.
var dummyHash = sync.OnceValue(func() string {
	h, err := HashPassword("khabar: no such user")
	if err != nil {
		return ""
	}
	return h
})

// Tokens signs the tokens the reader APIs hand out: an Auth token after
// ClientLogin, and the short write token (T) clients send with edits. A
// token names its user and is an HMAC over the user's id and current
// password hash, so a new password ends every token of the user, and a
// new key (derived from the admin token) ends all of them. The server
// keeps no token table.
type Tokens struct {
	key []byte
}

// NewTokens returns a token signer; key must be at least 16 bytes.
func NewTokens(key []byte) (*Tokens, error) {
	if len(key) < 16 {
		return nil, errors.New("users: token key shorter than 16 bytes")
	}
	return &Tokens{key: append([]byte(nil), key...)}, nil
}

func (t *Tokens) mac(purpose string, u model.User) string {
	m := hmac.New(sha256.New, t.key)
	fmt.Fprintf(m, "%s\x00%d\x00%s", purpose, u.ID, u.PasswordHash)
	return hex.EncodeToString(m.Sum(nil))
}

// Token purposes.
const (
	PurposeAuth  = "auth"  // the Auth (and SID) of a ClientLogin
	PurposeWrite = "write" // the T token of edits
)

// Issue returns u's token for purpose: "name/hexmac".
func (t *Tokens) Issue(u model.User, purpose string) string {
	mac := t.mac(purpose, u)
	if purpose == PurposeWrite {
		mac = mac[:32]
	}
	return u.Name + "/" + mac
}

// Check returns the user a token of purpose names, or ErrBadLogin.
func (t *Tokens) Check(ctx context.Context, st store.Users, token, purpose string) (model.User, error) {
	name, mac, ok := strings.Cut(token, "/")
	if !ok || CheckName(name) != nil || len(mac) > 64 {
		return model.User{}, ErrBadLogin
	}
	u, err := st.GetUserByName(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return model.User{}, ErrBadLogin
	}
	if err != nil {
		return model.User{}, fmt.Errorf("users: check token: %w", err)
	}
	want := t.Issue(u, purpose)
	if subtle.ConstantTimeCompare([]byte(want), []byte(token)) != 1 {
		return model.User{}, ErrBadLogin
	}
	return u, nil
}
