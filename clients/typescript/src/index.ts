// @usergraph/client: a typed client for usergraph's GraphQL API, and the
// typed documents of the operations in operations/ (generated from
// usergraph's schema.graphql).
export { UsergraphClient, UsergraphError, UsergraphHttpError } from "./client.js";
export type { AdminToken, ClientOptions, ErrorCode, GraphQLErrorEntry, TokenSource } from "./client.js";
export * from "./gql/graphql.js";
export type { JsonValue } from "./json.js";
