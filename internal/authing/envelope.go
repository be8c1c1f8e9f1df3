package authing

import (
	"encoding/json"
	"net/http"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"usergraph/model"
)

// numericCodes maps usergraph's error codes (extensions.code on the native
// API) to the numbers the SDKs expect in an error's code. The numbers are
// HTTP statuses of the same meaning and never change; data.code keeps the
// native code, which tells apart the codes that share a number.
var numericCodes = map[string]int{
	string(model.CodeInvalidInput):            400,
	string(model.CodeBadRequest):              400,
	"GRAPHQL_PARSE_FAILED":                    400,
	"GRAPHQL_VALIDATION_FAILED":               400,
	string(model.CodeUnauthenticated):         401,
	string(model.CodeForbidden):               403,
	string(model.CodeNotFound):                404,
	string(model.CodeMethodNotAllowed):        405,
	string(model.CodeAlreadyExists):           409,
	string(model.CodePayloadTooLarge):         413,
	string(model.CodeUnsupportedMediaType):    415,
	string(model.CodeComplexityLimitExceeded): 422,
	string(model.CodeDepthLimitExceeded):      422,
	string(model.CodeRateLimited):             429,
	string(model.CodeCancelled):               499,
	string(model.CodeInternal):                500,
	"PERSISTED_QUERY_NOT_FOUND":               400,
	"PERSISTED_QUERY_NOT_SUPPORTED":           400,
}

// Numeric is the SDK error code for a native code (500 for one unknown).
func Numeric(code string) int {
	if n, ok := numericCodes[code]; ok {
		return n
	}
	return 500
}

// sdkError is an error as the SDKs read it: {code, message, data}, where
// data carries the native code and, for invalid input, the field.
type sdkError struct {
	Code    int            `json:"code"`
	Message string         `json:"message"`
	Data    map[string]any `json:"data,omitempty"`
}

// asSDKError turns a presented GraphQL error into the SDKs' error object.
func asSDKError(e *gqlerror.Error) sdkError {
	code, _ := e.Extensions["code"].(string)
	if code == "" {
		code = string(model.CodeInternal)
	}
	data := map[string]any{}
	for k, v := range e.Extensions {
		data[k] = v
	}
	data["code"] = code
	return sdkError{Code: Numeric(code), Message: e.Message, Data: data}
}

// wireError is one entry of errors[] on /graphql/v2: message is the SDK
// error object, the rest as the GraphQL spec has it.
type wireError struct {
	Message    sdkError       `json:"message"`
	Locations  any            `json:"locations,omitempty"`
	Path       any            `json:"path,omitempty"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

// writeGraphQL writes a /graphql/v2 response: always HTTP 200 (the SDKs
// lose the body of any other status), each error's message an object.
func writeGraphQL(w http.ResponseWriter, _ int, resp *graphql.Response) {
	out := struct {
		Errors     []wireError     `json:"errors,omitempty"`
		Data       json.RawMessage `json:"data,omitempty"`
		Extensions map[string]any  `json:"extensions,omitempty"`
	}{Data: resp.Data, Extensions: resp.Extensions}
	for _, e := range resp.Errors {
		we := wireError{Message: asSDKError(e), Extensions: e.Extensions}
		if len(e.Locations) > 0 {
			we.Locations = e.Locations
		}
		if len(e.Path) > 0 {
			we.Path = e.Path
		}
		out.Errors = append(out.Errors, we)
	}
	writeJSON(w, out)
}

// writeJSON writes v with HTTP 200.
func writeJSON(w http.ResponseWriter, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		b = []byte(`{"code":500,"message":"internal error","data":{"code":"INTERNAL"}}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}
