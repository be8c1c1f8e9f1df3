package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"usergraph/db"
	"usergraph/graph"
	"usergraph/internal/auth"
	"usergraph/internal/buildinfo"
	"usergraph/internal/operator"
	"usergraph/internal/password"
	"usergraph/internal/transfer"
	"usergraph/model"
)

// Commands are the subcommands, in the order help lists them: serve (the
// main package's), then those that open the database with open.
func Commands(serve RunFunc, open Opener) []Command {
	k := commandSet{open}
	return []Command{
		{"serve", "", "run the server (the default when no command is given)", []func(*flag.FlagSet, *Config){dbFlags, tokenFlags, serveFlags}, serve},
		{"token", "", "print a fresh admin token for the default pool (or -pool ID)", []func(*flag.FlagSet, *Config){dbFlags, tokenFlags, poolFlag}, k.tokenCmd},
		{"pool create", "NAME", "create a user pool; print its id, name and secret (shown once) as JSON", []func(*flag.FlagSet, *Config){dbFlags}, k.poolCreateCmd},
		{"pool list", "", "list the user pools, one JSON object a line", []func(*flag.FlagSet, *Config){dbFlags}, k.poolListCmd},
		{"pool rotate-secret", "ID", "give a pool a new secret (printed once); its old admin tokens stop working", []func(*flag.FlagSet, *Config){dbFlags}, k.rotateSecretCmd},
		{"apikey create", "", "create an API key (-pool, -name, -scopes, -expires); print it once as JSON", []func(*flag.FlagSet, *Config){dbFlags, poolFlag, apiKeyFlags}, k.apiKeyCreateCmd},
		{"apikey list", "", "list a pool's API keys (-pool), one JSON object a line; never the keys", []func(*flag.FlagSet, *Config){dbFlags, poolFlag}, k.apiKeyListCmd},
		{"apikey revoke", "ID", "revoke an API key of a pool (-pool)", []func(*flag.FlagSet, *Config){dbFlags, poolFlag}, k.apiKeyRevokeCmd},
		{"operator-sign-in set", "", "let a pool's (-pool) operators sign in through an OpenID Connect provider (-issuer, -audience, -scopes-claim, -rule VALUE=SCOPES …); the provider is asked for its discovery document first; prints the sign-in as JSON", []func(*flag.FlagSet, *Config){dbFlags, poolFlag, signInFlags}, k.signInSetCmd},
		{"operator-sign-in show", "", "print a pool's (-pool) operator sign-in as JSON", []func(*flag.FlagSet, *Config){dbFlags, poolFlag}, k.signInShowCmd},
		{"operator-sign-in remove", "", "remove a pool's (-pool) operator sign-in: its operators' tokens are refused from then on", []func(*flag.FlagSet, *Config){dbFlags, poolFlag}, k.signInRemoveCmd},
		{"export", "", "write a pool (-pool) as NDJSON to stdout: definitions, then every user with password hash, memberships and custom data", []func(*flag.FlagSet, *Config){dbFlags, poolFlag}, k.exportCmd},
		{"import", "", "read NDJSON (stdin, or -in FILE) into a pool (-pool): every line is checked before any is written; progress on stderr; -dry-run only checks", []func(*flag.FlagSet, *Config){dbFlags, poolFlag, inFlag}, k.importCmd},
		{"migrate", "", "apply the database schema's pending migrations (serve does it at start); -dry-run lists them", []func(*flag.FlagSet, *Config){dbFlags, dryRunFlag}, migrateCmd},
		{"config", "", "print the server's effective configuration (flags, environment, -config file, defaults), secrets redacted, as a -config file", []func(*flag.FlagSet, *Config){dbFlags, tokenFlags, serveFlags}, printConfig},
		{"schema", "", "print the GraphQL schema (SDL)", nil, schemaCmd},
		{"probe", "URL", "succeed when URL answers 200 within 3 seconds: a container's health check (usergraph probe http://127.0.0.1:8080/readyz)", nil, probeCmd},
		{"version", "", "print the version, VCS revision and Go version", nil, versionCmd},
		{"help", "[COMMAND]", "list the commands, or show one command's flags", nil, nil},
	}
}

// migrateCmd applies the pending migrations, or lists them (-dry-run),
// one file name a line.
func migrateCmd(ctx context.Context, c *Config, _ []string, stdout, stderr io.Writer) error {
	log, _, err := NewLogger(c, stderr)
	if err != nil {
		return err
	}
	if path, ok := db.SQLiteFile(c.DSN); ok && c.DryRun {
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("no database at %s (a dry run creates none): every migration would run", path)
		}
	}
	d, err := db.Open(ctx, c.DSN, db.Options{Logger: log})
	if err != nil {
		return err
	}
	defer d.Close()
	pending, err := db.PendingMigrations(ctx, d)
	if err != nil {
		return err
	}
	for _, name := range pending {
		fmt.Fprintln(stdout, name)
	}
	if c.DryRun {
		if len(pending) == 0 {
			fmt.Fprintln(stderr, "the schema is up to date: nothing would run")
		}
		return nil
	}
	if err := db.Migrate(ctx, d); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "applied %d migrations\n", len(pending))
	return nil
}

// tokenCmd prints a fresh admin token.
func (k commandSet) tokenCmd(ctx context.Context, c *Config, _ []string, stdout, stderr io.Writer) error {
	return k.withApp(ctx, c, stderr, true, func(a *App) error {
		p, err := commandPool(ctx, a, c)
		if err != nil {
			return err
		}
		t, err := a.Signer.AdminToken(p.ID, p.SecretGeneration)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(stdout, t.Token)
		return err
	})
}

// poolOut is how pool commands print a pool: one JSON object, keys in this
// order.
type poolOut struct {
	UserPoolID string     `json:"userPoolId"`
	Name       string     `json:"name,omitempty"`
	IsDefault  *bool      `json:"isDefault,omitempty"`
	CreatedAt  *time.Time `json:"createdAt,omitempty"`
	Secret     string     `json:"secret,omitempty"`
}

func (k commandSet) poolCreateCmd(ctx context.Context, c *Config, args []string, stdout, stderr io.Writer) error {
	return k.withApp(ctx, c, stderr, false, func(a *App) error {
		p, secret, err := a.Store.CreatePool(ctx, args[0])
		if err != nil {
			return err
		}
		return json.NewEncoder(stdout).Encode(poolOut{UserPoolID: p.ID, Name: p.Name, Secret: secret})
	})
}

func (k commandSet) poolListCmd(ctx context.Context, c *Config, _ []string, stdout, stderr io.Writer) error {
	return k.withApp(ctx, c, stderr, true, func(a *App) error {
		pools, err := a.Store.ListPools(ctx)
		if err != nil {
			return err
		}
		enc := json.NewEncoder(stdout)
		for _, p := range pools {
			if err := enc.Encode(poolOut{UserPoolID: p.ID, Name: p.Name, IsDefault: &p.IsDefault, CreatedAt: &p.CreatedAt}); err != nil {
				return err
			}
		}
		return nil
	})
}

// rotateSecretCmd gives a pool a new secret and prints it; admin tokens
// minted from the old one stop working (on running servers within
// seconds).
func (k commandSet) rotateSecretCmd(ctx context.Context, c *Config, args []string, stdout, stderr io.Writer) error {
	return k.withApp(ctx, c, stderr, true, func(a *App) error {
		secret, err := a.Store.RotatePoolSecret(ctx, args[0])
		if err != nil {
			return err
		}
		return json.NewEncoder(stdout).Encode(poolOut{UserPoolID: args[0], Secret: secret})
	})
}

// probeCmd checks a URL answers 200: the image's HEALTHCHECK, which has
// no curl to call.
func probeCmd(ctx context.Context, _ *Config, args []string, stdout, _ io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, args[0], nil)
	if err != nil {
		return fmt.Errorf("probe: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("probe: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("probe: %s answered %s", args[0], resp.Status)
	}
	_, err = fmt.Fprintln(stdout, "ok")
	return err
}

// printConfig prints the effective configuration (configfile.go).
func printConfig(_ context.Context, c *Config, _ []string, stdout, _ io.Writer) error {
	return configCmd(c.flags)(stdout)
}

func schemaCmd(_ context.Context, _ *Config, _ []string, stdout, _ io.Writer) error {
	_, err := io.WriteString(stdout, graph.SDL())
	return err
}

// versionCmd prints what the binary was built from: the release's
// stamped version, revision and date, or what the toolchain recorded.
func versionCmd(_ context.Context, _ *Config, _ []string, stdout, _ io.Writer) error {
	_, err := fmt.Fprintln(stdout, buildinfo.Get())
	return err
}

// withApp opens the database (see open), runs f, and closes it.
func (k commandSet) withApp(ctx context.Context, c *Config, stderr io.Writer, mustExist bool, f func(a *App) error) error {
	a, err := k.open(ctx, c, stderr, stderr, mustExist)
	if err != nil {
		return err
	}
	defer a.DB.Close()
	return f(a)
}

// commandPool is the pool a command acts on: -pool, or the default pool.
func commandPool(ctx context.Context, a *App, c *Config) (*model.UserPool, error) {
	if c.Pool != "" {
		return a.Store.Pool(ctx, c.Pool)
	}
	p, err := a.Store.DefaultPool(ctx)
	if err != nil {
		return nil, fmt.Errorf("no default pool: %w", err)
	}
	return p, nil
}

// apiKeyOut is how apikey commands print a key: one JSON object, keys in
// this order; the key itself only when just created.
type apiKeyOut struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Scopes     []string   `json:"scopes"`
	Key        string     `json:"key,omitempty"`
	CreatedAt  time.Time  `json:"createdAt"`
	ExpiresAt  *time.Time `json:"expiresAt"`
	LastUsedAt *time.Time `json:"lastUsedAt"`
	RevokedAt  *time.Time `json:"revokedAt"`
}

func keyOut(k *model.APIKey, key string) apiKeyOut {
	return apiKeyOut{ID: k.ID, Name: k.Name, Scopes: k.Scopes, Key: key, CreatedAt: k.CreatedAt,
		ExpiresAt: k.ExpiresAt, LastUsedAt: k.LastUsedAt, RevokedAt: k.RevokedAt}
}

func (k commandSet) apiKeyCreateCmd(ctx context.Context, c *Config, _ []string, stdout, stderr io.Writer) error {
	return k.withApp(ctx, c, stderr, true, func(a *App) error {
		pool, err := commandPool(ctx, a, c)
		if err != nil {
			return err
		}
		var expires *time.Time
		if c.KeyExpires > 0 {
			t := time.Now().UTC().Add(c.KeyExpires)
			expires = &t
		}
		var scopes []string
		for _, s := range strings.Split(c.KeyScopes, ",") {
			if s = strings.TrimSpace(s); s != "" {
				scopes = append(scopes, s)
			}
		}
		k, key, err := a.Store.CreateAPIKey(ctx, pool.ID, c.KeyName, scopes, expires)
		if err != nil {
			return err
		}
		return json.NewEncoder(stdout).Encode(keyOut(k, key))
	})
}

// signInSetCmd sets a pool's operator sign-in as setOperatorSignIn does:
// the same checks (operator.Verifier.Set), audited as the CLI's.
func (k commandSet) signInSetCmd(ctx context.Context, c *Config, _ []string, stdout, stderr io.Writer) error {
	return k.withApp(ctx, c, stderr, true, func(a *App) error {
		pool, err := commandPool(ctx, a, c)
		if err != nil {
			return err
		}
		v, err := operator.New(a.Store, operator.Options{Allow: strings.Split(c.OperatorIssuerAllow, ","), Log: a.Log})
		if err != nil {
			return err
		}
		in := model.OperatorSignInInput{Issuer: c.Issuer, Audience: c.Audience, ScopesClaim: &c.ScopesClaim}
		for _, r := range c.Rules {
			value, scopes, _ := strings.Cut(r, "=")
			in.Rules = append(in.Rules, model.ScopeRuleInput{Value: value, Scopes: strings.Split(scopes, ",")})
		}
		s, err := v.Set(ctx, pool.ID, in)
		if err != nil {
			return err
		}
		return json.NewEncoder(stdout).Encode(s)
	})
}

func (k commandSet) signInShowCmd(ctx context.Context, c *Config, _ []string, stdout, stderr io.Writer) error {
	return k.printSignIn(ctx, c, stdout, stderr, func(a *App, pool string) (*model.OperatorSignIn, error) {
		return a.Store.OperatorSignIn(ctx, pool)
	})
}

func (k commandSet) signInRemoveCmd(ctx context.Context, c *Config, _ []string, stdout, stderr io.Writer) error {
	return k.printSignIn(ctx, c, stdout, stderr, func(a *App, pool string) (*model.OperatorSignIn, error) {
		return a.Store.RemoveOperatorSignIn(ctx, pool)
	})
}

// printSignIn prints, as JSON, the sign-in f returns for the command's
// pool.
func (k commandSet) printSignIn(ctx context.Context, c *Config, stdout, stderr io.Writer, f func(a *App, pool string) (*model.OperatorSignIn, error)) error {
	return k.withApp(ctx, c, stderr, true, func(a *App) error {
		pool, err := commandPool(ctx, a, c)
		if err != nil {
			return err
		}
		s, err := f(a, pool.ID)
		if err != nil {
			return err
		}
		return json.NewEncoder(stdout).Encode(s)
	})
}

// exportCmd writes a pool as NDJSON (see package transfer).
func (k commandSet) exportCmd(ctx context.Context, c *Config, _ []string, stdout, stderr io.Writer) error {
	return k.withApp(ctx, c, stderr, true, func(a *App) error {
		pool, err := commandPool(ctx, a, c)
		if err != nil {
			return err
		}
		w := bufio.NewWriterSize(stdout, 1<<16)
		n, err := transfer.Export(ctx, a.Store, pool.ID, w)
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "exported %d users\n", n)
		return w.Flush()
	})
}

// importCmd reads NDJSON into a pool (see package transfer). Bad lines are
// listed on stderr, one a line, and nothing is written.
func (k commandSet) importCmd(ctx context.Context, c *Config, _ []string, stdout, stderr io.Writer) error {
	var r io.Reader = os.Stdin
	if c.In != "-" {
		f, err := os.Open(c.In)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	return k.withApp(ctx, c, stderr, true, func(a *App) error {
		pool, err := commandPool(ctx, a, c)
		if err != nil {
			return err
		}
		if c.DryRun {
			plan, err := transfer.DryRun(ctx, a.Store, pool.ID, r)
			if err != nil {
				return err
			}
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			if err := enc.Encode(plan); err != nil {
				return err
			}
			if !plan.Accepted {
				return fmt.Errorf("the import would be refused: %d bad lines", len(plan.Refused))
			}
			return nil
		}
		rep, err := transfer.Import(ctx, a.Store, pool.ID, r, func(done, total int, rate float64) {
			fmt.Fprintf(stderr, "imported %d of %d users (%.0f/s)\n", done, total, rate)
		})
		var bad *transfer.Invalid
		if errors.As(err, &bad) {
			for _, l := range bad.Lines {
				fmt.Fprintln(stderr, l)
			}
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "imported %d users and %d definitions\n", rep.Users, rep.Definitions)
		// An import writes the search index in many parts; merge them now
		// rather than at the server's next pass (the users are in either way).
		if _, err := a.DB.TidySearch(ctx); err != nil {
			fmt.Fprintf(stderr, "the search index is not merged yet (the server will do it): %v\n", err)
		}
		return nil
	})
}

func (k commandSet) apiKeyListCmd(ctx context.Context, c *Config, _ []string, stdout, stderr io.Writer) error {
	return k.withApp(ctx, c, stderr, true, func(a *App) error {
		pool, err := commandPool(ctx, a, c)
		if err != nil {
			return err
		}
		keys, err := a.Store.APIKeys(ctx, pool.ID)
		if err != nil {
			return err
		}
		enc := json.NewEncoder(stdout)
		for _, k := range keys {
			if err := enc.Encode(keyOut(k, "")); err != nil {
				return err
			}
		}
		return nil
	})
}

func (k commandSet) apiKeyRevokeCmd(ctx context.Context, c *Config, args []string, stdout, stderr io.Writer) error {
	return k.withApp(ctx, c, stderr, true, func(a *App) error {
		pool, err := commandPool(ctx, a, c)
		if err != nil {
			return err
		}
		k, err := a.Store.RevokeAPIKey(ctx, pool.ID, args[0])
		if err != nil {
			return err
		}
		return json.NewEncoder(stdout).Encode(keyOut(k, ""))
	})
}

// App is an opened, migrated database with its store and token signer.
type App struct {
	DB     *db.DB
	Store  *db.Store
	Hasher *password.Hasher
	Signer *auth.Signer
	Log    *slog.Logger
}

// Opener opens the database a command works on (the main package's open):
// it connects, migrates and loads the signing key; mustExist refuses a
// SQLite file that is not there yet rather than make one; announce gets
// the default pool's credentials when it is made.
type Opener func(ctx context.Context, c *Config, announce, logw io.Writer, mustExist bool) (*App, error)

// commandSet runs the commands that open the database with open.
type commandSet struct{ open Opener }
