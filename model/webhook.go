package model

import (
	"net/url"
	"strings"
	"time"
)

// Webhook is an endpoint of a pool that the pool's events are POSTed to,
// signed as the Standard Webhooks specification says with a secret of its
// own. The secret is kept as it is: the server must sign with it. It is
// shown once, when made (createWebhook, rotateWebhookSecret), and never
// returned again; a database dump reveals it, as it reveals the token
// signing key kept there unless -signing-key is given.
type Webhook struct {
	ID          string   `json:"id" gorm:"primaryKey;size:36"`
	PoolID      string   `json:"-" gorm:"size:36;not null;index:ix_webhooks_pool,priority:1"`
	URL         string   `json:"url" gorm:"not null"`
	Events      []string `json:"events" gorm:"serializer:json;type:text;not null"`
	Description string   `json:"description" gorm:"not null"`
	Enabled     bool     `json:"enabled" gorm:"not null"`
	// DisabledReason says why an endpoint is not enabled: "" when an admin
	// disabled it, WebhookFailing when the server did.
	DisabledReason string `json:"disabledReason" gorm:"not null"`
	Secret         string `json:"-" gorm:"not null"`
	// PreviousSecret also signs, until PreviousSecretUntil, after a
	// rotation: receivers switch secrets without missing an event.
	PreviousSecret      string     `json:"-" gorm:"not null"`
	PreviousSecretUntil *time.Time `json:"-"`
	// Cursor is the last event (seq) fanned out to the endpoint.
	Cursor        int64      `json:"-" gorm:"not null"`
	FailingSince  *time.Time `json:"failingSince"`
	LastSuccessAt *time.Time `json:"lastSuccessAt"`
	LastFailureAt *time.Time `json:"lastFailureAt"`
	CreatedAt     time.Time  `json:"createdAt" gorm:"not null;index:ix_webhooks_pool,priority:2"`
	UpdatedAt     time.Time  `json:"updatedAt" gorm:"not null"`
}

// WebhookFailing is the DisabledReason of an endpoint the server disabled
// after its deliveries failed for too long.
const WebhookFailing = "FAILING"

// MaxWebhooks bounds a pool's endpoints, so the webhooks list has a known
// size and a known cost, and fan-out a known amount of work.
const MaxWebhooks = 100

// MaxWebhookURL bounds an endpoint's URL, in bytes.
const MaxWebhookURL = 2048

// WebhookInput creates or changes an endpoint; on update a nil field is
// left as it is.
type WebhookInput struct {
	URL         *string  `json:"url"`
	Events      []string `json:"events"`
	Description *string  `json:"description"`
	Enabled     *bool    `json:"enabled"`
}

// CheckWebhookURL checks an endpoint URL's form: absolute http or https,
// a host, no user:password, at most MaxWebhookURL bytes. Where it may
// point is the SSRF guard's (internal/webhook).
func CheckWebhookURL(field, raw string) (*url.URL, error) {
	if len(raw) > MaxWebhookURL {
		return nil, Invalid(field, "at most %d bytes", MaxWebhookURL)
	}
	if err := CheckText(field, raw, MaxWebhookURL); err != nil {
		return nil, err
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || u.Opaque != "" {
		return nil, Invalid(field, "must be an absolute http:// or https:// URL")
	}
	if u.User != nil {
		return nil, Invalid(field, "must not hold a user name or password; authenticate receivers by the signature")
	}
	if u.Fragment != "" || strings.ContainsAny(u.Host, " \t") {
		return nil, Invalid(field, "must not have a fragment")
	}
	return u, nil
}

// Validate checks the fields set (on create, url and events must be).
func (in *WebhookInput) Validate(create bool) error {
	if create && in.URL == nil {
		return Invalid("url", "required")
	}
	if in.URL != nil {
		if _, err := CheckWebhookURL("url", *in.URL); err != nil {
			return err
		}
	}
	if create || in.Events != nil {
		ev, err := ValidEventTypes("events", in.Events)
		if err != nil {
			return err
		}
		in.Events = ev
	}
	if in.Description != nil {
		if err := CheckText("description", *in.Description, MaxDescriptionLength); err != nil {
			return err
		}
	}
	return nil
}

// DeliveryState is where a delivery stands.
type DeliveryState string

// The states of a delivery.
const (
	DeliveryPending   DeliveryState = "PENDING"   // to be (re)tried at NextAttemptAt
	DeliveryDelivered DeliveryState = "DELIVERED" // the endpoint answered 2xx
	DeliveryFailed    DeliveryState = "FAILED"    // every attempt of the retry window failed
)

// WebhookDelivery is one event's delivery to one endpoint: its state and
// its attempts. Bodies of responses are kept only as a short prefix.
type WebhookDelivery struct {
	ID             string            `json:"id" gorm:"primaryKey;size:36"`
	PoolID         string            `json:"-" gorm:"size:36;not null"`
	WebhookID      string            `json:"webhookId" gorm:"size:36;not null"`
	EventID        string            `json:"eventId" gorm:"size:36;not null"`
	Seq            int64             `json:"-" gorm:"not null"`
	EventType      string            `json:"eventType" gorm:"not null"`
	ObjectID       string            `json:"objectId" gorm:"size:36;not null"`
	State          DeliveryState     `json:"state" gorm:"size:16;not null"`
	Attempts       int               `json:"attempts" gorm:"not null"`
	NextAttemptAt  *time.Time        `json:"nextAttemptAt"`
	LeaseUntil     *time.Time        `json:"-"`
	FirstAttemptAt *time.Time        `json:"firstAttemptAt"`
	LastAttemptAt  *time.Time        `json:"lastAttemptAt"`
	LastStatus     int               `json:"lastStatus" gorm:"not null"`
	LastError      string            `json:"lastError" gorm:"not null"`
	LastLatencyMs  int               `json:"lastLatencyMs" gorm:"not null"`
	Log            []DeliveryAttempt `json:"log" gorm:"serializer:json;type:text;not null"`
	CreatedAt      time.Time         `json:"createdAt" gorm:"not null"`
	DeliveredAt    *time.Time        `json:"deliveredAt"`
}

// DeliveryAttempt is one try of a delivery.
type DeliveryAttempt struct {
	At time.Time `json:"at"`
	// Status is the HTTP status the endpoint answered, 0 when it did not
	// (Error says why).
	Status    int    `json:"status"`
	LatencyMs int    `json:"latencyMs"`
	Error     string `json:"error,omitempty"`
	// Response is the start of the response body (ResponsePrefix bytes at
	// most), for telling why an endpoint refused.
	Response string `json:"response,omitempty"`
}

// ResponsePrefix bounds the part of a response body kept per attempt.
const ResponsePrefix = 256

// MaxDeliveryLog bounds the attempts a delivery keeps (the latest).
const MaxDeliveryLog = 30

// DeliveryFilter narrows a webhook's delivery log.
type DeliveryFilter struct {
	State   *DeliveryState `json:"state"`
	EventID *string        `json:"eventId"`
}
