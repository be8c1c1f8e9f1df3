package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
)

// A configuration file (-config usergraph.yaml, or USERGRAPH_CONFIG) sets
// flags by their names, as YAML: `max-complexity: 20000`, `cors-origins:
// [https://a.example.com, https://b.example.com]`. Precedence: a flag on
// the command line, then its environment variable, then the file, then
// the default. A key that is no flag of any command is refused, naming
// it (a misspelt key would otherwise leave its setting at the default
// unseen); a key of another command is left to it, so one file serves
// `serve` and the other commands alike; a bad value is refused as the
// flag refuses it, naming the key.

// configFlag is the flag naming the file, on every command that opens the
// database.
func configFlag(fs *flag.FlagSet, c *Config) {
	fs.StringVar(&c.ConfigFile, "config", "", "a YAML file setting flags by name (flags and environment variables win over it)")
}

// applyFile sets, from the file c.ConfigFile names, each flag the command
// line and the environment left unset; every value is checked, set or
// not. all holds every command's flags (fresh, for checking values).
// It returns the flags it set.
func applyFile(fs *flag.FlagSet, path string, all map[string]*flag.FlagSet) (map[string]bool, error) {
	set := map[string]bool{}
	if path == "" {
		return set, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("-config: %w", err)
	}
	var values map[string]any
	if err := yaml.Unmarshal(b, &values); err != nil {
		return nil, fmt.Errorf("%s: not a YAML mapping of flag names to values: %v", path, err)
	}
	explicit := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { explicit[f.Name] = true })
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var errs []error
	for _, key := range keys {
		scratch := all[key]
		if key == "config" || scratch == nil {
			errs = append(errs, fmt.Errorf("%s: unknown key %q (keys are flag names: see usergraph help)", path, key))
			continue
		}
		v, err := flagText(values[key])
		if err == nil {
			err = scratch.Set(key, v) // checked even where it will not apply
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %s: %v", path, key, unwrapFlagErr(err)))
			continue
		}
		if fs.Lookup(key) == nil || explicit[key] {
			continue // another command's flag, or given on the command line
		}
		if env, ok := envNames[key]; ok {
			if _, inEnv := os.LookupEnv(env); inEnv {
				continue
			}
		}
		if err := fs.Set(key, v); err != nil {
			errs = append(errs, fmt.Errorf("%s: %s: %v", path, key, unwrapFlagErr(err)))
			continue
		}
		set[key] = true
	}
	return set, errors.Join(errs...)
}

// flagText is a YAML value as the flag's text: a scalar as written, a list
// joined by commas.
func flagText(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", errors.New("no value")
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			s, err := flagText(e)
			if err != nil {
				return "", err
			}
			parts[i] = s
		}
		return strings.Join(parts, ","), nil
	case map[string]any:
		return "", errors.New("a mapping is not a flag's value")
	default:
		return fmt.Sprint(x), nil
	}
}

// flagSets are every command's flags, each name to a fresh flag set of
// a command that has it.
func flagSets(commands []Command) map[string]*flag.FlagSet {
	sets := map[string]*flag.FlagSet{}
	for _, cmd := range commands {
		fs := flag.NewFlagSet(cmd.Name, flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		var c Config
		for _, f := range cmd.Flags {
			f(fs, &c)
		}
		fs.VisitAll(func(f *flag.Flag) { sets[f.Name] = fs })
	}
	return sets
}

// secretFlags hold secrets: config prints them redacted.
var secretFlags = map[string]bool{"signing-key": true}

// configCmd prints the effective configuration of the server: every flag
// of serve with its value, from the command line, the environment, the
// file or the default, as YAML a -config file takes; secrets redacted.
func configCmd(fs *flag.FlagSet) func(w io.Writer) error {
	return func(w io.Writer) error {
		var lines []string
		fs.VisitAll(func(f *flag.Flag) {
			if f.Name == "config" {
				return
			}
			v := f.Value.String()
			switch {
			case secretFlags[f.Name] && v != "":
				v = "<redacted>"
			case f.Name == "db":
				v = redactDSN(v)
			}
			lines = append(lines, fmt.Sprintf("%s: %q", f.Name, v))
		})
		slices.Sort(lines)
		_, err := io.WriteString(w, strings.Join(lines, "\n")+"\n")
		return err
	}
}

// redactDSN hides a database URL's password.
func redactDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "redacted")
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "redacted")
		u.RawQuery = q.Encode()
	}
	return u.String()
}
