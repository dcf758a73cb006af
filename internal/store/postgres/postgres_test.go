package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"khabar/internal/store"
	"khabar/internal/store/storetest"
)

// The tests run against the PostgreSQL server at KHABAR_TEST_DATABASE_URL
// (.ci/postgres.sh sets one up and prints the URL), each in a schema of its
// own that is dropped afterwards. Without the variable they are skipped,
// except under CI=true, where a missing database is a failure.
const urlEnv = "KHABAR_TEST_DATABASE_URL"

func testURL(t testing.TB) string {
	t.Helper()
	url := os.Getenv(urlEnv)
	if url == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set: CI runs the PostgreSQL tests (see .ci/postgres.sh)", urlEnv)
		}
		t.Skipf("%s is not set: skipping the PostgreSQL tests (run .ci/postgres.sh for a local server)", urlEnv)
	}
	return url
}

// newSchema creates an empty schema, dropped when the test ends, and
// returns a pool configuration whose connections use it.
func newSchema(t testing.TB) *pgxpool.Config {
	t.Helper()
	url := testURL(t)
	b := make([]byte, 6)
	rand.Read(b)
	schema := "khabar_test_" + hex.EncodeToString(b)
	admin, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatalf("connect to %s: %v", urlEnv, err)
	}
	defer admin.Close(context.Background())
	if _, err := admin.Exec(context.Background(), `CREATE SCHEMA `+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), url)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.RuntimeParams["search_path"] = schema
	return cfg
}

func openConfig(t testing.TB, cfg *pgxpool.Config) *Store {
	t.Helper()
	s, err := OpenConfig(context.Background(), cfg.Copy())
	if err != nil {
		t.Fatalf("OpenConfig: %v", err)
	}
	return s
}

// openTemp opens a store in a new schema; the caller closes it.
func openTemp(t testing.TB) *Store {
	t.Helper()
	return openConfig(t, newSchema(t))
}

func TestContract(t *testing.T) {
	testURL(t)
	storetest.Run(t, func(t *testing.T) store.Store { return openTemp(t) },
		storetest.WithBackupOpener(func(t *testing.T, path string) store.Store {
			s := openTemp(t)
			if err := s.Restore(t.Context(), path); err != nil {
				s.Close()
				t.Fatalf("Restore: %v", err)
			}
			return s
		}))
}
