// @usergraph/client: a typed client for usergraph's GraphQL API, and the
// typed documents of the operations in operations/ (generated from
// usergraph's schema.graphql).
export { UsergraphClient, UsergraphError, UsergraphHttpError, UsergraphNetworkError } from "./client.js";
export type { AdminToken, ClientOptions, GraphQLErrorEntry, RequestOptions, TokenSource } from "./client.js";
export { errorCodes } from "./codes.js";
export type { ErrorCode } from "./codes.js";
export * from "./gql/graphql.js";
export type { JsonValue } from "./json.js";
