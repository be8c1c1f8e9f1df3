/** A JSON value: what the schema's JSON scalar carries (custom data). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
