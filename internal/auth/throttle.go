package auth

import (
	"math"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"
	"golang.org/x/time/rate"

	"usergraph/model"
)

// Throttle bounds how fast secrets can be guessed: failed accessToken
// attempts per client address and per pool, and failed verifyPassword
// checks per client address and per user. Each is a token bucket
// (golang.org/x/time/rate) that a failure empties by one and time refills.
// While a bucket is empty, attempts are refused with RATE_LIMITED and the
// seconds until the next may succeed: for a user's password every
// attempt, right or wrong (a guesser gains nothing by trying the right
// password in between); for a pool's secret only wrong ones, since the
// right 256-bit secret is never guessed, and refusing it would let a
// flood of wrong secrets lock the pool's owner out. Buckets
// live in this process: behind a load balancer, each replica keeps its
// own (so the rates below are per replica).
type Throttle struct {
	// PerClient is how many failures a client address may make in a burst,
	// and ClientEvery how often one more is allowed after that.
	PerClient   int
	ClientEvery time.Duration
	// PerPool and PoolEvery bound failures for one pool, from anywhere.
	PerPool   int
	PoolEvery time.Duration
}

// DefaultThrottle allows 10 failures at once per client, then one every 6
// seconds (10 a minute); 100 at once per pool, then one a second.
var DefaultThrottle = Throttle{PerClient: 10, ClientEvery: 6 * time.Second, PerPool: 100, PoolEvery: time.Second}

// throttle keeps the buckets: the most recently used 100,000 of each kind,
// each forgotten after an hour unused (by then it has refilled). A client
// address has one bucket for both kinds of guess.
type throttle struct {
	cfg     Throttle
	clients *expirable.LRU[string, *rate.Limiter]
	pools   *expirable.LRU[string, *rate.Limiter]
	users   *expirable.LRU[string, *rate.Limiter] // pool/user: one account's password, at a client's rate
}

func newThrottle(cfg Throttle) *throttle {
	if cfg.PerClient <= 0 || cfg.ClientEvery <= 0 {
		cfg.PerClient, cfg.ClientEvery = DefaultThrottle.PerClient, DefaultThrottle.ClientEvery
	}
	if cfg.PerPool <= 0 || cfg.PoolEvery <= 0 {
		cfg.PerPool, cfg.PoolEvery = DefaultThrottle.PerPool, DefaultThrottle.PoolEvery
	}
	return &throttle{
		cfg:     cfg,
		clients: expirable.NewLRU[string, *rate.Limiter](100_000, nil, time.Hour),
		pools:   expirable.NewLRU[string, *rate.Limiter](100_000, nil, time.Hour),
		users:   expirable.NewLRU[string, *rate.Limiter](100_000, nil, time.Hour),
	}
}

// bucket returns the key's bucket, making it full on first use.
func bucket(m *expirable.LRU[string, *rate.Limiter], key string, burst int, every time.Duration) *rate.Limiter {
	if l, ok := m.Get(key); ok {
		return l
	}
	l := rate.NewLimiter(rate.Every(every), burst)
	m.Add(key, l)
	return l
}

// Guess names the buckets one kind of guess draws on.
type Guess []*rate.Limiter

// secretGuess is an accessToken attempt: the client's and the pool's
// buckets.
func (t *throttle) secretGuess(client, poolID string) Guess {
	return Guess{bucket(t.clients, client, t.cfg.PerClient, t.cfg.ClientEvery), bucket(t.pools, poolID, t.cfg.PerPool, t.cfg.PoolEvery)}
}

// passwordGuess is a verifyPassword check: the client's bucket, and the
// user's, which refills at a client's rate.
func (t *throttle) passwordGuess(client, poolID, userID string) Guess {
	return Guess{bucket(t.clients, client, t.cfg.PerClient, t.cfg.ClientEvery), bucket(t.users, poolID+"/"+userID, t.cfg.PerClient, t.cfg.ClientEvery)}
}

// Admit refuses an attempt while any of the guess's buckets is empty.
func (g Guess) Admit() error {
	now := time.Now()
	var wait time.Duration
	for _, l := range g {
		wait = max(wait, untilOne(l, now))
	}
	if wait <= 0 {
		return nil
	}
	secs := int(math.Ceil(wait.Seconds()))
	return &model.Error{Code: model.CodeRateLimited, RetryAfter: secs,
		Message: "too many failed attempts from this address or for this account; try again later"}
}

// Failed takes one token from each of the guess's buckets.
func (g Guess) Failed() {
	now := time.Now()
	for _, l := range g {
		l.AllowN(now, 1)
	}
}

// untilOne is how long until l holds a whole token.
func untilOne(l *rate.Limiter, now time.Time) time.Duration {
	missing := 1 - l.TokensAt(now)
	if missing <= 0 {
		return 0
	}
	return time.Duration(missing / float64(l.Limit()) * float64(time.Second))
}
