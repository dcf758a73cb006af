package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"khabar/internal/alerts"
	"khabar/internal/model"
	"khabar/internal/store"
)

// int64List is a repeatable flag of ids.
type int64List []int64

func (l *int64List) String() string { return fmt.Sprint(*l) }
func (l *int64List) Set(s string) error {
	for _, part := range strings.Split(s, ",") {
		id, err := strconv.ParseInt(strings.TrimSpace(part), 10, 64)
		if err != nil {
			return fmt.Errorf("%q is not a source id", part)
		}
		*l = append(*l, id)
	}
	return nil
}

// stringList is a repeatable flag of strings.
type stringList []string

func (l *stringList) String() string { return strings.Join(*l, ",") }
func (l *stringList) Set(s string) error {
	if s = strings.TrimSpace(s); s != "" {
		*l = append(*l, s)
	}
	return nil
}

func runAlerts(ctx context.Context, a *app, args []string) error {
	if len(args) == 0 {
		return usagef("want a subcommand: add, list or remove")
	}
	switch args[0] {
	case "add":
		return alertsAdd(ctx, a, args[1:])
	case "list":
		return alertsList(ctx, a, args[1:])
	case "remove", "rm":
		return alertsRemove(ctx, a, args[1:])
	}
	return usagef("unknown subcommand %q: want add, list or remove", args[0])
}

func alertsAdd(ctx context.Context, a *app, args []string) error {
	fs := newFlags(a, "alerts add")
	query := fs.String("query", "", "the search query to watch for (required)")
	webhook := fs.String("webhook", "", "URL that receives a JSON POST per matching article")
	email := fs.String("email", "", "address that receives an e-mail per matching article (needs KHABAR_SMTP_ADDR)")
	var sources int64List
	var entities stringList
	fs.Var(&sources, "source", "only articles from this source id (repeatable)")
	fs.Var(&entities, "entity", "only articles that mention this entity (repeatable)")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	st, err := a.store(ctx)
	if err != nil {
		return err
	}
	an, _, err := a.analysis(ctx, st)
	if err != nil {
		return err
	}
	al := model.Alert{Query: strings.TrimSpace(*query), Webhook: strings.TrimSpace(*webhook), Email: strings.TrimSpace(*email),
		SourceIDs: sources, Entities: entities, CreatedAt: time.Now()}
	if err := alerts.Validate(an, al); err != nil {
		return err
	}
	for _, id := range sources {
		if _, err := st.GetSource(ctx, id); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("no source with id %d", id)
			}
			return err
		}
	}
	if err := st.AddAlert(ctx, &al); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "added alert %d: %s\n", al.ID, al.Query)
	return nil
}

func alertsList(ctx context.Context, a *app, args []string) error {
	st, asJSON, err := listCommand(ctx, a, "alerts list", args)
	if err != nil {
		return err
	}
	list, err := st.ListAlerts(ctx)
	if err != nil {
		return err
	}
	if asJSON {
		type alertJSON struct {
			ID        int64     `json:"id"`
			Query     string    `json:"query"`
			Webhook   string    `json:"webhook,omitempty"`
			Email     string    `json:"email,omitempty"`
			SourceIDs []int64   `json:"source_ids"`
			Entities  []string  `json:"entities"`
			CreatedAt time.Time `json:"created_at"`
		}
		out := make([]alertJSON, 0, len(list))
		for _, al := range list {
			out = append(out, alertJSON{al.ID, al.Query, al.Webhook, al.Email, nonNil(al.SourceIDs), nonNil(al.Entities), al.CreatedAt.UTC()})
		}
		enc := json.NewEncoder(a.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tQUERY\tWEBHOOK\tE-MAIL\tSOURCES\tENTITIES")
	for _, al := range list {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%v\t%s\n", al.ID, al.Query, al.Webhook, al.Email, al.SourceIDs, strings.Join(al.Entities, "، "))
	}
	return tw.Flush()
}

func alertsRemove(ctx context.Context, a *app, args []string) error {
	return removeByID(ctx, a, args, "alert", func(st store.Store) func(context.Context, int64) error { return st.DeleteAlert })
}
