package model

import (
	"encoding/base64"
	"encoding/json"
	"time"
)

// Cursor is a position in a listing: the values of its order's columns on
// the last item of a page, so the next page starts right after it. A
// cursor page is a range of the order's index, whatever the depth: page
// 10,000 costs what page 1 does, where an offset walks every row before
// it. Clients see it as an opaque string (base64url of JSON).
type Cursor struct {
	// Order names the order the cursor belongs to ("users:USERNAME:ASC");
	// a cursor is refused under any other.
	Order string `json:"o"`
	// Values are the order's column values on the last item, in order; a
	// nil value is a NULL. Times travel as RFC 3339 strings.
	Values []any `json:"v"`
}

// Encode is the cursor as a client holds it.
func (c Cursor) Encode() string {
	b, err := json.Marshal(c)
	if err != nil {
		panic("cursor: " + err.Error()) // strings, times and nils always encode
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeCursor reads a client's cursor for the order named order, whose
// columns are times where times says so. A cursor that is not one of
// ours, or belongs to another order, is INVALID_INPUT on field.
func DecodeCursor(field, s, order string, times []bool) (*Cursor, error) {
	bad := Invalid(field, "not a cursor of this listing and order: pass the endCursor of its previous page")
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, bad
	}
	var c Cursor
	if err := json.Unmarshal(raw, &c); err != nil || c.Order != order || len(c.Values) != len(times) {
		return nil, bad
	}
	for i, v := range c.Values {
		switch x := v.(type) {
		case nil:
		case string:
			if times[i] {
				t, err := time.Parse(time.RFC3339Nano, x)
				if err != nil {
					return nil, bad
				}
				c.Values[i] = t
			}
		default:
			return nil, bad
		}
	}
	return &c, nil
}

// PageInfo says where a cursor page ends and whether another follows.
type PageInfo struct {
	HasNextPage bool    `json:"hasNextPage"`
	EndCursor   *string `json:"endCursor"`
}
