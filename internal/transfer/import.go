package transfer

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"usergraph/db"
	"usergraph/model"
)

// LineError is what is wrong with one line: its number (from 1), the
// field (as the line names it; "" for the line as a whole), and the
// error's code and message.
type LineError struct {
	Line    int    `json:"line"`
	Field   string `json:"field,omitempty"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (e LineError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("line %d: %s: %s", e.Line, e.Code, e.Message)
	}
	return fmt.Sprintf("line %d: %s: %s: %s", e.Line, e.Field, e.Code, e.Message)
}

// Invalid is an import refused before it wrote anything: every bad line.
type Invalid struct{ Lines []LineError }

func (e *Invalid) Error() string {
	return fmt.Sprintf("%d bad lines; nothing was imported (first: %v)", len(e.Lines), e.Lines[0])
}

// maxReported bounds the bad lines an import reports (it stops reading
// after them): a file of a million bad lines needs its first hundred shown.
const maxReported = 100

// Batch is how many users one import transaction writes.
const Batch = 1000

// Report is what an import did.
type Report struct {
	Definitions int `json:"definitions"` // namespaces, custom fields, groups and roles created
	Users       int `json:"users"`
}

// userIn is a user line as Import reads it: the input fields of
// createUser, and what an export adds.
type userIn struct {
	model.UserInput
	PasswordHash      string          `json:"passwordHash"`
	Groups            []string        `json:"groups"`
	Roles             []model.RoleRef `json:"roles"`
	CreatedAt         *time.Time      `json:"createdAt"`
	PasswordLastSetAt *time.Time      `json:"passwordLastSetAt"`
	StatusChangedAt   *time.Time      `json:"statusChangedAt"`
}

func (u *userIn) input() *model.UserInput {
	in := u.UserInput
	in.PasswordHash, in.Groups, in.Roles = u.PasswordHash, u.Groups, u.Roles
	in.CreatedAt, in.PasswordLastSetAt, in.StatusChangedAt = u.CreatedAt, u.PasswordLastSetAt, u.StatusChangedAt
	return &in
}

// Import reads NDJSON from r into the pool. It first reads every line,
// keeping a copy in a temporary file, and checks each: its JSON, its kind,
// every field as createUser would, the password hash's format, custom data
// against the pool's custom fields and those the file defines, groups and
// roles against the pool's and the file's, and unique identifiers against
// each other. If any line is bad it returns *Invalid, naming every bad line
// (up to 100), and writes nothing. Otherwise it creates the definitions the
// pool lacks (existing ones are kept as they are) and then the users, in
// transactions of Batch, calling progress after each with the users
// written so far, how many the file holds, and the rate so far (users/s).
// A user the database refuses (an email another user of the pool has)
// stops the import there, with the line; the batches before it stay.
func Import(ctx context.Context, s *db.Store, poolID string, r io.Reader, progress func(done, total int, rate float64)) (Report, error) {
	spool, err := os.CreateTemp("", "usergraph-import-*.ndjson")
	if err != nil {
		return Report{}, err
	}
	defer os.Remove(spool.Name())
	defer spool.Close()
	c, users, err := checkAll(ctx, s, poolID, io.TeeReader(r, spool))
	if err != nil {
		return Report{}, err
	}
	if len(c.bad) > 0 {
		return Report{}, &Invalid{Lines: c.bad}
	}
	if _, err := spool.Seek(0, io.SeekStart); err != nil {
		return Report{}, err
	}
	rep := Report{}
	if rep.Definitions, err = c.createDefinitions(ctx, s, poolID); err != nil {
		return rep, err
	}
	start := time.Now()
	var batch []*model.UserInput
	var lines []int
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		_, err := s.CreateUsers(ctx, poolID, batch, db.BatchOptions{Atomic: true})
		if me, ok := model.AsError(err); ok && me.Index != nil {
			return LineError{Line: lines[*me.Index], Field: me.Field, Code: string(me.Code), Message: me.Message}
		}
		if err != nil {
			return err
		}
		rep.Users += len(batch)
		progress(rep.Users, users, float64(rep.Users)/max(time.Since(start).Seconds(), 1e-9))
		batch, lines = batch[:0], lines[:0]
		return nil
	}
	var werr error
	_, err = readAll(spool, func(n int, kind string, raw []byte) {
		if kind != KindUser || werr != nil {
			return
		}
		var u userIn
		_ = json.Unmarshal(raw, &u) // checked above
		batch, lines = append(batch, u.input()), append(lines, n)
		if len(batch) == Batch {
			werr = flush()
		}
	})
	if err = errors.Join(err, werr); err == nil {
		err = flush()
	}
	return rep, err
}

// checkAll reads and checks every line of r against the pool and the
// file: the checks Import makes before it writes anything.
func checkAll(ctx context.Context, s *db.Store, poolID string, r io.Reader) (*checker, int, error) {
	c, err := newChecker(ctx, s, poolID)
	if err != nil {
		return nil, 0, err
	}
	users, err := readAll(r, c.check)
	if err != nil {
		return nil, 0, err
	}
	c.checkGroupRoles()
	if err := c.checkTaken(ctx, s, poolID); err != nil {
		return nil, 0, err
	}
	slices.SortStableFunc(c.bad, func(a, b LineError) int { return cmp.Compare(a.Line, b.Line) })
	c.bad = c.bad[:min(len(c.bad), maxReported)]
	return c, users, nil
}

// Plan is what an import would do, found without writing anything.
type Plan struct {
	// Accepted says whether the import would run: every line passed its
	// checks. When it is false, the import would write nothing at all.
	Accepted bool `json:"accepted"`
	// Definitions is how many namespaces, custom fields, groups and roles
	// the file defines that the pool lacks: those it would create (the
	// ones the pool has are kept as they are, never updated).
	Definitions int `json:"definitions"`
	// Users is how many users it would create (an import only creates
	// users; it never updates one).
	Users int `json:"users"`
	// Refused is every line it would refuse (the first 100), with why.
	Refused []LineError `json:"refused"`
}

// DryRun checks r as Import would — every line, and the users'
// identifiers against the pool's — and reports what the import would
// create or refuse, writing nothing. (Another write between a dry run and
// the import can still make a line's identifier taken.)
func DryRun(ctx context.Context, s *db.Store, poolID string, r io.Reader) (Plan, error) {
	c, users, err := checkAll(ctx, s, poolID, r)
	if err != nil {
		return Plan{}, err
	}
	return Plan{Accepted: len(c.bad) == 0, Definitions: len(c.defs), Users: users, Refused: orEmpty(c.bad)}, nil
}

func orEmpty[T any](l []T) []T {
	if l == nil {
		return []T{}
	}
	return l
}

// readAll calls line with each line's number, kind and text, and returns
// how many user lines there were. Blank lines are skipped.
func readAll(r io.Reader, line func(n int, kind string, raw []byte)) (int, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	users := 0
	for n := 1; sc.Scan(); n++ {
		raw := sc.Bytes()
		if len(raw) == 0 {
			continue
		}
		var k struct{ Kind string }
		_ = json.Unmarshal(raw, &k) // a bad line is the checker's to report
		if k.Kind == KindUser {
			users++
		}
		line(n, k.Kind, raw)
	}
	if errors.Is(sc.Err(), bufio.ErrTooLong) {
		return users, model.Invalid("", "a line is longer than %d bytes", maxLine)
	}
	return users, sc.Err()
}

// maxLine bounds one line: a user with 16 KB of custom data and 32
// identities fits several times over.
const maxLine = 1 << 20
