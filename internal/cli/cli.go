// Package cli is usergraph's command line: the subcommands, their flags
// (each with an environment variable behind it), the rules that refuse a
// value no flag means, and help. The server itself (serve) and what opens
// the database are the main package's, handed in (Commands).
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"usergraph/db"
	"usergraph/model"
)

// Command is a subcommand: its name and arguments, one line saying what
// it does, its flags, and what it runs.
type Command struct {
	Name, Args, Summary string
	Flags               []func(*flag.FlagSet, *Config)
	Run                 RunFunc
}

// RunFunc runs a command with its configuration and positional arguments.
type RunFunc func(ctx context.Context, c *Config, args []string, stdout, stderr io.Writer) error

// Run runs the command args name, of commands. Help is not an error: `-h`, `help` and
// `COMMAND -h` print to stdout and return nil.
func Run(ctx context.Context, commands []Command, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "-h", "-help", "--help", "help":
			if len(args) > 1 && args[0] == "help" {
				return Run(ctx, commands, append(args[1:len(args):len(args)], "-h"), stdout, stderr)
			}
			usage(stdout, commands)
			return nil
		case "-version", "--version":
			return versionCmd(ctx, nil, nil, stdout, stderr)
		}
	}
	cmd, rest, err := findCommand(commands, args)
	if err != nil {
		return err
	}
	var c Config
	fs := flag.NewFlagSet("usergraph "+cmd.Name, flag.ContinueOnError)
	// The flag package would print its error and the whole usage to
	// stderr, and -h's usage there too: help goes once to stdout, and an
	// error once, by main, with a pointer to the help.
	fs.SetOutput(io.Discard)
	for _, f := range cmd.Flags {
		f(fs, &c)
	}
	pos, err := parseInterleaved(fs, rest)
	if errors.Is(err, flag.ErrHelp) {
		commandUsage(stdout, cmd, fs)
		return nil
	}
	if err != nil {
		return fmt.Errorf("%w (see usergraph %s -h)", err, cmd.Name)
	}
	given := map[string]bool{} // the flags the command line gave, before the environment fills others
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	if err := applyEnv(fs); err != nil {
		return err
	}
	fromFile, err := applyFile(fs, c.ConfigFile, flagSets(commands))
	if err != nil {
		return err
	}
	if err := checkFlags(fs, &c, given, fromFile); err != nil {
		return err
	}
	c.flags = fs
	warnUnknownEnv(stderr)
	if want := len(strings.Fields(cmd.Args)); strings.HasPrefix(cmd.Args, "[") {
		if len(pos) > want {
			return fmt.Errorf("usage: usergraph %s %s", cmd.Name, cmd.Args)
		}
	} else if len(pos) != want {
		return fmt.Errorf("usage: usergraph %s %s", cmd.Name, cmd.Args)
	}
	if cmd.Name != "serve" {
		ctx = db.WithActor(ctx, model.CLIActor, cmd.Name) // what a command changes is audited as the CLI's
	}
	return cmd.Run(ctx, &c, pos, stdout, stderr)
}

// findCommand finds the command args start with (two words for pool
// commands); no command, or flags first, is serve.
func findCommand(commands []Command, args []string) (Command, []string, error) {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return commands[0], args, nil
	}
	var group []string // the commands args[0] begins, when it names a group (pool, apikey)
	for _, c := range commands {
		words := strings.Fields(c.Name)
		if len(args) >= len(words) && strings.Join(args[:len(words)], " ") == c.Name && c.Run != nil {
			return c, args[len(words):], nil
		}
		if len(words) > 1 && words[0] == args[0] {
			group = append(group, words[1])
		}
	}
	if len(group) > 0 {
		return Command{}, nil, fmt.Errorf("usage: usergraph %s %s: see usergraph help", args[0], strings.Join(group, "|"))
	}
	return Command{}, nil, fmt.Errorf("unknown command %q: see usergraph help", strings.Join(args[:min(2, len(args))], " "))
}

// flagRules are the values each flag refuses, beyond its type: a limit of
// 0 or below would otherwise fall back to the default unseen (or turn a
// bound off), so nonsense is refused at start, naming the flag.
var flagRules = map[string]func(c *Config) string{
	"max-complexity":       func(c *Config) string { return atLeast1(int64(c.Limits.MaxComplexity)) },
	"max-depth":            func(c *Config) string { return atLeast1(int64(c.Limits.MaxDepth)) },
	"max-batch":            func(c *Config) string { return atLeast1(int64(c.Limits.MaxBatch)) },
	"max-rows":             func(c *Config) string { return atLeast1(c.Limits.MaxRows) },
	"max-body-bytes":       func(c *Config) string { return atLeast1(c.Limits.MaxBodyBytes) },
	"auth-failure-burst":   func(c *Config) string { return atLeast1(int64(c.Throttle.PerClient)) },
	"request-timeout":      func(c *Config) string { return positive(c.Limits.RequestTimeout) },
	"auth-failure-refill":  func(c *Config) string { return positive(c.Throttle.ClientEvery) },
	"token-ttl":            func(c *Config) string { return positive(c.TokenTTL) },
	"user-token-ttl":       func(c *Config) string { return positive(c.UserTokenTTL) },
	"sdk-token-ttl":        func(c *Config) string { return positive(c.SDKTokenTTL) },
	"audit-retention":      func(c *Config) string { return notNegative(int64(c.AuditRetention)) },
	"drain-delay":          func(c *Config) string { return notNegative(int64(c.DrainDelay)) },
	"db-conn-max-lifetime": func(c *Config) string { return notNegative(int64(c.ConnLifetime)) },
	"db-max-open-conns":    func(c *Config) string { return notNegative(int64(c.MaxOpenConns)) },
	"db-max-idle-conns":    func(c *Config) string { return notNegative(int64(c.MaxIdleConns)) },
	"gc-heap-target-mib":   func(c *Config) string { return notNegative(int64(c.GCHeapTargetMiB)) },
	"expires":              func(c *Config) string { return notNegative(int64(c.KeyExpires)) },
	"cors-origins":         func(c *Config) string { return badOrigins(c.CORSOrigins) },
	"read-executor": func(c *Config) string {
		if c.ReadExecutor != "planned" && c.ReadExecutor != "gqlgen" {
			return "must be planned or gqlgen"
		}
		return ""
	},
}

func atLeast1(n int64) string {
	if n < 1 {
		return "must be at least 1"
	}
	return ""
}

func positive(d time.Duration) string {
	if d <= 0 {
		return "must be a positive duration, such as 30s or 1h"
	}
	return ""
}

func notNegative(n int64) string {
	if n < 0 {
		return "must not be negative"
	}
	return ""
}

// badOrigins checks -cors-origins: "*", or origins as browsers send them
// (http or https, a host, an optional port, nothing after).
func badOrigins(list string) string {
	for _, o := range strings.Split(list, ",") {
		if o = strings.TrimSpace(o); o == "" || o == "*" {
			continue
		}
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
			(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
			return fmt.Sprintf("%q is not an origin: give scheme://host[:port], such as https://admin.example.com, or *", o)
		}
	}
	return ""
}

// checkFlags applies flagRules to the command's flags, naming the flag (and
// the environment variable, when the value came from it).
func checkFlags(fs *flag.FlagSet, c *Config, given, fromFile map[string]bool) error {
	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		rule, ok := flagRules[f.Name]
		if !ok {
			return
		}
		if msg := rule(c); msg != "" {
			from := "-" + f.Name
			if env, ok := envNames[f.Name]; ok && !given[f.Name] {
				if _, set := os.LookupEnv(env); set {
					from = env
				}
			}
			if fromFile[f.Name] {
				from = c.ConfigFile + ": " + f.Name
			}
			errs = append(errs, fmt.Errorf("%s %s: %s", from, f.Value, msg))
		}
	})
	return errors.Join(errs...)
}

// otherEnv are USERGRAPH_ variables that are not the server's but are
// expected beside it: the TypeScript client's, the tests' and the
// benchmarks'.
var otherEnv = []string{"USERGRAPH_URL", "USERGRAPH_POOL_ID", "USERGRAPH_SECRET", "USERGRAPH_TOKEN", "USERGRAPH_TEST_", "USERGRAPH_BENCH_", "USERGRAPH_COOKBOOK_"}

// warnUnknownEnv warns, in one line, of USERGRAPH_ variables the server
// does not know: a misspelt one (USERGRAPH_ADRR) would otherwise leave its
// setting at the default unseen.
func warnUnknownEnv(stderr io.Writer) {
	known := map[string]bool{}
	for _, v := range envNames {
		known[v] = true
	}
	var unknown []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, "USERGRAPH_") || known[name] ||
			slices.ContainsFunc(otherEnv, func(p string) bool { return name == p || (strings.HasSuffix(p, "_") && strings.HasPrefix(name, p)) }) {
			continue
		}
		unknown = append(unknown, name)
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		fmt.Fprintf(stderr, "usergraph: warning: ignoring unknown environment variables %s (see usergraph help for the known ones)\n", strings.Join(unknown, ", "))
	}
}

// parseInterleaved parses flags that may come before or after positional
// arguments (usergraph pool create NAME -db x.db) and returns the
// positional ones.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos, args = append(pos, fs.Arg(0)), fs.Args()[1:]
	}
}

// applyEnv sets each flag not given on the command line from its
// environment variable, refusing a value the flag would refuse.
func applyEnv(fs *flag.FlagSet) error {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		name, ok := envNames[f.Name]
		if !ok || given[f.Name] {
			return
		}
		if v, set := os.LookupEnv(name); set {
			if err := fs.Set(f.Name, v); err != nil {
				errs = append(errs, fmt.Errorf("%s=%q: %v", name, v, unwrapFlagErr(err)))
			}
		}
	})
	return errors.Join(errs...)
}

// unwrapFlagErr drops the flag package's "parse error" wording.
func unwrapFlagErr(err error) error {
	if u := errors.Unwrap(err); u != nil {
		return u
	}
	return err
}

// usage lists the commands, one line each.
func usage(w io.Writer, commands []Command) {
	fmt.Fprintln(w, "usergraph: a user directory and authorization server with a GraphQL API.")
	fmt.Fprintln(w, "\nUsage: usergraph [COMMAND] [FLAGS]\n\nCommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-28s %s\n", strings.TrimSpace(c.Name+" "+c.Args), c.Summary)
	}
	fmt.Fprintln(w, "\nRun 'usergraph COMMAND -h' for a command's flags; every flag can also be set by the environment variable named beside it.")
}

// commandUsage shows one command and its own flags, with their variables.
func commandUsage(w io.Writer, cmd Command, fs *flag.FlagSet) {
	fmt.Fprintf(w, "Usage: usergraph %s\n\n%s.\n", strings.Join(strings.Fields(cmd.Name+" "+cmd.Args+" [FLAGS]"), " "), cmd.Summary)
	n := 0
	fs.VisitAll(func(f *flag.Flag) {
		if n == 0 {
			fmt.Fprintln(w, "\nFlags:")
		}
		n++
		def := ""
		if f.DefValue != "" && f.DefValue != "0" {
			def = fmt.Sprintf(" (default %s)", f.DefValue)
		}
		env := ""
		if e, ok := envNames[f.Name]; ok {
			env = " [" + e + "]"
		}
		fmt.Fprintf(w, "  -%-22s %s%s%s\n", f.Name, f.Usage, def, env)
	})
}
