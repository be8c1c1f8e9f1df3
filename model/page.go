package model

// Page sizes: every list is bounded so one request cannot ask for the whole
// pool.
const (
	DefaultLimit = 10
	MaxLimit     = 100
	// MaxNestedList bounds the unpaged lists of one record: a user's
	// groups, roles and identities, the resources a user, role or group
	// may act on. Longer lists are cut there; their totalCount still
	// counts every item, so a client sees that the list was cut.
	MaxNestedList = 50
	// MaxAuthorizedResources bounds the authorizedResources query's list
	// (one user's), cut the same way.
	MaxAuthorizedResources = 1000
)

// CountLimit is how far a user listing counts its matches unless asked for
// an exact count. Counting a million matches reads a million index entries
// (hundreds of milliseconds); counting to 10,000 takes about a
// millisecond. Beyond it, totalCount is a lower bound and says so, as
// search engines do ("10,000+ results").
const CountLimit = 10_000

// Page is a validated 1-based page request.
type Page struct {
	Page  int
	Limit int
	// CountTo, when above zero, lets the count stop after CountTo matches
	// (or after the end of the page, if further): see CountStop and Total.
	// Zero counts every match.
	CountTo int64
	// NoCount says the caller does not need the count (a query that does
	// not select totalCount): a listing skips it when its plan does not
	// depend on it, saving a walk of up to CountTo index entries.
	NoCount bool
	// After, when set, starts the page right after this position (Page is
	// then 1): a range of the order's index instead of an offset.
	After *Cursor
	// Next asks a listing for one row more than Limit, which tells the
	// caller whether another page follows (pageInfo.hasNextPage).
	Next bool
}

// Fetch is how many rows a listing reads for the page: one more than the
// limit when Next asks whether more follow.
func (p Page) Fetch() int {
	if p.Next {
		return p.Limit + 1
	}
	return p.Limit
}

// CountStop is how many matches a count reads at most: one past the bound,
// so that reading it shows there are more; 0 for no bound.
func (p Page) CountStop() int64 {
	if p.CountTo <= 0 {
		return 0
	}
	return max(p.CountTo, int64(p.Offset()+p.Limit)) + 1
}

// Read is what a count bounded by p reads of n matches: n, or CountStop()
// if that is smaller. It lets a search that found all its matches another
// way report them as its count would.
func (p Page) Read(n int64) int64 {
	if stop := p.CountStop(); stop > 0 {
		return min(n, stop)
	}
	return n
}

// Total turns the number a count read into a totalCount and whether it is
// exact; when it is not, the totalCount is a lower bound.
func (p Page) Total(read int64) (total int64, exact bool) {
	stop := p.CountStop()
	if stop == 0 || read < stop {
		return read, true
	}
	return stop - 1, false
}

// NewPage validates page and limit (nil means the default: page 1, limit
// DefaultLimit). Errors name the argument.
func NewPage(page, limit *int) (Page, error) {
	p := Page{Page: 1, Limit: DefaultLimit}
	if page != nil {
		p.Page = *page
	}
	if limit != nil {
		p.Limit = *limit
	}
	if p.Page < 1 {
		return p, Invalid("page", "must be 1 or more")
	}
	if p.Limit < 1 || p.Limit > MaxLimit {
		return p, Invalid("limit", "must be between 1 and %d", MaxLimit)
	}
	if p.Page > 1_000_000 {
		return p, Invalid("page", "must be at most 1000000")
	}
	return p, nil
}

// Offset is the number of rows before the page.
func (p Page) Offset() int { return (p.Page - 1) * p.Limit }

// UserSort orders a user listing; the user id breaks ties so pages are stable.
type UserSort struct {
	Field UserSortField `json:"field"`
	Order SortOrder     `json:"order"`
}

// DefaultUserSort lists the newest users first.
var DefaultUserSort = UserSort{Field: SortCreatedAt, Order: SortDesc}

// UserSortField is a user attribute a listing can be sorted by.
type UserSortField string

// The sortable user attributes.
const (
	SortCreatedAt UserSortField = "CREATED_AT"
	SortUpdatedAt UserSortField = "UPDATED_AT"
	SortLastLogin UserSortField = "LAST_LOGIN"
	SortUsername  UserSortField = "USERNAME"
)

// SortOrder is ascending or descending.
type SortOrder string

// The sort orders.
const (
	SortAsc  SortOrder = "ASC"
	SortDesc SortOrder = "DESC"
)
