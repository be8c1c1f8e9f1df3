package model

import (
	"slices"
	"time"
)

// User is a member of a user pool: identifiers, the OIDC-style profile of the
// reference documents, account status and login statistics. The password is
// kept only as PasswordHash, which no GraphQL field exposes.
//
// Nullable profile fields are pointers so that "never set" and "cleared"
// read as null rather than as an empty string.
type User struct {
	// The listing indexes (sorts and filters) are declared in one place, db's
	// userIndexes; the unique ones stay here, beside their fields.
	ID     string `json:"id" gorm:"primaryKey;size:36"`
	PoolID string `json:"userPoolId" gorm:"size:36;not null;uniqueIndex:ux_users_username,priority:1;uniqueIndex:ux_users_email,priority:1;uniqueIndex:ux_users_phone,priority:1;uniqueIndex:ux_users_external_id,priority:1"`

	// Identifiers. Username is case-sensitive; Email is stored lower-cased.
	Username         *string `json:"username" gorm:"size:128;uniqueIndex:ux_users_username,priority:2"`
	Email            *string `json:"email" gorm:"size:254;uniqueIndex:ux_users_email,priority:2"`
	EmailVerified    bool    `json:"emailVerified" gorm:"not null;default:false"`
	Phone            *string `json:"phone" gorm:"size:32;uniqueIndex:ux_users_phone,priority:2"`
	PhoneCountryCode *string `json:"phoneCountryCode" gorm:"size:8"`
	PhoneVerified    bool    `json:"phoneVerified" gorm:"not null;default:false"`
	ExternalID       *string `json:"externalId" gorm:"size:255;uniqueIndex:ux_users_external_id,priority:2"`
	Unionid          *string `json:"unionid" gorm:"size:255"`
	Openid           *string `json:"openid" gorm:"size:255"`

	// Profile (OpenID Connect standard claims and the documents' extras).
	Name              *string `json:"name" gorm:"size:255"`
	Nickname          *string `json:"nickname" gorm:"size:255"`
	GivenName         *string `json:"givenName" gorm:"size:255"`
	FamilyName        *string `json:"familyName" gorm:"size:255"`
	MiddleName        *string `json:"middleName" gorm:"size:255"`
	PreferredUsername *string `json:"preferredUsername" gorm:"size:255"`
	Profile           *string `json:"profile" gorm:"size:2048"`
	Photo             *string `json:"photo" gorm:"size:2048"`
	Website           *string `json:"website" gorm:"size:2048"`
	Gender            Gender  `json:"gender" gorm:"size:1;not null;default:U"`
	Birthdate         *string `json:"birthdate" gorm:"size:10"`
	Zoneinfo          *string `json:"zoneinfo" gorm:"size:64"`
	Locale            *string `json:"locale" gorm:"size:35"`
	Address           *string `json:"address" gorm:"size:1024"`
	Formatted         *string `json:"formatted" gorm:"size:1024"`
	StreetAddress     *string `json:"streetAddress" gorm:"size:1024"`
	Locality          *string `json:"locality" gorm:"size:255"`
	Region            *string `json:"region" gorm:"size:255"`
	PostalCode        *string `json:"postalCode" gorm:"size:32"`
	City              *string `json:"city" gorm:"size:255"`
	Province          *string `json:"province" gorm:"size:255"`
	Country           *string `json:"country" gorm:"size:255"`
	Company           *string `json:"company" gorm:"size:255"`
	IdentityNumber    *string `json:"identityNumber" gorm:"size:64"`

	// Where the user came from and how they last signed in.
	Browser        *string    `json:"browser" gorm:"size:1024"`
	Device         *string    `json:"device" gorm:"size:255"`
	RegisterSource []string   `json:"registerSource" gorm:"serializer:json;size:1024"`
	UserSourceType string     `json:"userSourceType" gorm:"size:32;not null;default:adminCreated"`
	LoginsCount    int        `json:"loginsCount" gorm:"not null;default:0"`
	LastLogin      *time.Time `json:"lastLogin"`
	LastIP         *string    `json:"lastIP" gorm:"size:45"`
	SignedUp       *time.Time `json:"signedUp"`

	// Account state.
	Status          UserStatus `json:"status" gorm:"size:16;not null;default:Activated"`
	StatusChangedAt *time.Time `json:"statusChangedAt"`
	Hidden          bool       `json:"hidden" gorm:"not null;default:false"`
	TokenExpiredAt  *time.Time `json:"tokenExpiredAt"`
	// TokenGeneration counts revocations of the user's tokens. Each token
	// carries the generation it was issued at; a token older than the
	// current generation is revoked for good, whatever tokenExpiredAt says
	// later. A counter, unlike a timestamp, has no clock-skew or
	// same-second ambiguity across replicas.
	TokenGeneration          int64      `json:"-" gorm:"not null;default:0"`
	PasswordHash             string     `json:"-" gorm:"size:255"`
	PasswordLastSetAt        *time.Time `json:"passwordLastSetAt"`
	ResetPasswordOnNextLogin bool       `json:"resetPasswordOnNextLogin" gorm:"not null;default:false"`
	// Metadata is free-form data about the user from the system that
	// manages it (the V3 documents' metadata): a JSON object of at most
	// MaxCustomDataBytes, unlike custom data typed by no definition and
	// filtered on by nothing. Nil when unset.
	Metadata map[string]any `json:"metadata" gorm:"serializer:json;type:text"`

	CreatedAt time.Time `json:"createdAt" gorm:"not null"`
	UpdatedAt time.Time `json:"updatedAt" gorm:"not null"`

	// Pool declares the foreign key to the pool; it is never loaded.
	Pool *UserPool `json:"-" gorm:"foreignKey:PoolID;constraint:OnDelete:CASCADE"`
}

// Blocked is the boolean view of Status the older documents use: a user is
// blocked whenever its status is anything but Activated.
func (u *User) Blocked() bool { return u.Status != StatusActivated }

// IsDeleted is the documents' isDeleted: the user is archived.
func (u *User) IsDeleted() bool { return u.Status == StatusArchived }

// BlockedStatuses lists the statuses Blocked reports as blocked.
func BlockedStatuses() []UserStatus {
	return slices.DeleteFunc(slices.Clone(UserStatuses), func(s UserStatus) bool { return s == StatusActivated })
}

// HasIdentifier reports whether the user can be told apart from every other
// user of its pool: a user needs at least one identifier.
func (u *User) HasIdentifier() bool {
	for _, p := range []*string{u.Username, u.Email, u.Phone, u.ExternalID, u.Unionid, u.Openid} {
		if p != nil && *p != "" {
			return true
		}
	}
	return false
}

// Identity links a user to an account at an external identity provider
// (the identities of the V3 user record).
type Identity struct {
	ID          string    `json:"identityId" gorm:"primaryKey;size:36"`
	PoolID      string    `json:"-" gorm:"size:36;not null;uniqueIndex:ux_identities_idp,priority:1;index:ix_identities_provider,priority:1"`
	UserID      string    `json:"-" gorm:"size:36;not null;index:ix_identities_user"`
	Provider    string    `json:"provider" gorm:"size:64;not null;uniqueIndex:ux_identities_idp,priority:2;index:ix_identities_provider,priority:2"`
	Type        string    `json:"type" gorm:"size:64;not null"`
	UserIDInIdp string    `json:"userIdInIdp" gorm:"column:user_id_in_idp;size:255;not null;uniqueIndex:ux_identities_idp,priority:3"`
	ExtIdpID    *string   `json:"extIdpId" gorm:"size:255"`
	CreatedAt   time.Time `json:"createdAt" gorm:"not null"`

	// User declares the foreign key that deletes identities with their user.
	User *User `json:"-" gorm:"foreignKey:UserID;constraint:OnDelete:CASCADE"`
}

// UserStatus is the account status of the V3 documents.
type UserStatus string

// The account statuses. Only Activated users may hold valid tokens.
const (
	StatusActivated   UserStatus = "Activated"
	StatusSuspended   UserStatus = "Suspended"
	StatusDeactivated UserStatus = "Deactivated"
	StatusResigned    UserStatus = "Resigned"
	StatusArchived    UserStatus = "Archived"
)

// UserStatuses lists the statuses in their documented order.
var UserStatuses = []UserStatus{StatusActivated, StatusSuspended, StatusDeactivated, StatusResigned, StatusArchived}

// Gender is M, F or U (unknown). The 000 document spells female W; it is
// accepted on input and stored as F.
type Gender string

// The genders.
const (
	GenderMale    Gender = "M"
	GenderFemale  Gender = "F"
	GenderUnknown Gender = "U"
	GenderW       Gender = "W" // input only: Normalize stores it as F
)

// MetadataJSON is the user's metadata as the API's JSON scalar (nil when
// unset).
func (u *User) MetadataJSON() any {
	if u.Metadata == nil {
		return nil
	}
	return u.Metadata
}
