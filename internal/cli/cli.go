// Package cli is the one place that wires khabar together: it parses the
// command line and the environment into a config.Config, opens the store,
// builds the analysis pipeline, the crawler, the search service and the
// HTTP handlers, and runs the subcommand asked for.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"khabar/internal/config"
)

// usageError marks a mistake in the command line: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

type command struct {
	summary string
	run     func(ctx context.Context, a *app, args []string) error
}

func commands() map[string]command {
	return map[string]command{
		"serve":         {"serve the portal and the API, and crawl on schedule", runServe},
		"crawl":         {"fetch every due source once, then exit", runCrawl},
		"sources":       {"add, list, edit (outlet profile), remove, import (OPML) or export (OPML) sources", runSources},
		"extract":       {"extract articles from saved HTML files, as JSON", runExtract},
		"import":        {"import articles from JSON Lines, a JSON array or a .zip of them", runImport},
		"export":        {"export every article as JSON Lines", runExport},
		"related":       {"compute and store every article's related reading again", runRelated},
		"search":        {"search the stored articles", runSearch},
		"normalize":     {"print the search form of each line of standard input", runNormalize},
		"dates":         {"parse the date on each line of standard input", runDates},
		"keywords":      {"print the keyphrases of plain-text files, as JSON Lines", runKeywords},
		"quotes":        {"print the direct quotations of plain-text articles and who said them, as JSON Lines", runQuotes},
		"entities":      {"tag tokens with named-entity BIO tags (--conll)", runEntities},
		"alerts":        {"add, list or remove saved-search alerts", runAlerts},
		"users":         {"add, list, remove reader accounts; set a password or the Fever API password (read from standard input)", runUsers},
		"backup":        {"write a consistent snapshot of the store to a file", runBackup},
		"restore":       {"load a backup file into a store that holds none yet", runRestore},
		"prune":         {"delete articles older than --before DATE (or KHABAR_RETAIN), starred ones kept, and reclaim the space", runPrune},
		"migrate-store": {"copy the store into PostgreSQL (--to postgres://…)", runMigrateStore},
	}
}

// Main runs khabar with args (without the program name) and returns the
// process exit status. SIGINT and SIGTERM stop it gracefully.
func Main(args, env []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return Run(ctx, args, env, stdin, stdout, stderr)
}

// Run is Main under a context: when ctx ends, the command stops.
func Run(ctx context.Context, args, env []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cfg, err := config.FromEnv(env)
	if err != nil {
		fmt.Fprintln(stderr, "khabar:", err)
		return 2
	}
	fs := flag.NewFlagSet("khabar", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.DataDir, "data", cfg.DataDir, "data folder (env KHABAR_DATA)")
	fs.StringVar(&cfg.DatabaseURL, "db", cfg.DatabaseURL, "PostgreSQL URL; empty uses the embedded SQLite store (env KHABAR_DATABASE_URL)")
	fs.BoolVar(&cfg.AllowPrivate, "allow-private-networks", cfg.AllowPrivate, "allow fetching loopback and private addresses (env KHABAR_ALLOW_PRIVATE_NETWORKS)")
	fs.StringVar(&cfg.Contact, "contact", cfg.Contact, "contact URL or e-mail sent in the User-Agent (env KHABAR_CONTACT)")
	fs.StringVar(&cfg.LogFormat, "log-format", cfg.LogFormat, "log format: text or json (env KHABAR_LOG_FORMAT)")
	fs.StringVar(&cfg.LogLevel, "log-level", cfg.LogLevel, "log level: debug, info, warn or error (env KHABAR_LOG_LEVEL)")
	fs.Usage = func() { printUsage(stderr, fs) }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if err := cfg.Validate(); err != nil {
		fmt.Fprintln(stderr, "khabar:", err)
		return 2
	}
	rest := fs.Args()
	if len(rest) == 0 {
		printUsage(stderr, fs)
		return 2
	}
	name := rest[0]
	if name == "help" {
		printUsage(stdout, fs)
		return 0
	}
	cmd, ok := commands()[name]
	if !ok {
		fmt.Fprintf(stderr, "khabar: unknown command %q (see khabar help)\n", name)
		return 2
	}
	a := newApp(cfg, stdin, stdout, stderr)
	defer a.close()
	if len(cfg.IgnoredEnv) > 0 {
		a.log.Warn("config: ignoring KHABAR_ variables that name no setting", "vars", strings.Join(cfg.IgnoredEnv, ","))
	}
	if err := cmd.run(ctx, a, rest[1:]); err != nil {
		var ue *usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(stderr, "khabar %s: %s\n", name, ue.msg)
			return 2
		}
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(stderr, "khabar %s: %v\n", name, err)
		return 1
	}
	return 0
}

func printUsage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintln(w, "usage: khabar [global flags] COMMAND [flags] [args]")
	fmt.Fprintln(w, "\ncommands:")
	cmds := commands()
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-14s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintln(w, "\nglobal flags (before the command):")
	fs.SetOutput(w)
	fs.PrintDefaults()
}

// newFlags returns a FlagSet for a subcommand that reports to stderr.
func newFlags(a *app, name string) *flag.FlagSet {
	fs := flag.NewFlagSet("khabar "+name, flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	return fs
}

// parseFlags parses args, allowing flags after positional arguments too
// (khabar sources add URL --title T).
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usagef("%v", err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(strings.ToUpper(cfg.LogLevel)))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
