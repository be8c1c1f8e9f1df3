// GraphQL Code Generator: typed documents for the operations in
// operations/, checked against the committed schema (no server needed).
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "../../schema.graphql",
  documents: ["operations/*.graphql"],
  ignoreNoDocuments: false,
  // Emit "./graphql.js" imports, as Node's ESM resolution requires.
  emitLegacyCommonJSImports: false,
  generates: {
    "src/gql/": {
      preset: "client",
      config: {
        // Custom scalars map to real types, never any.
        strictScalars: true,
        scalars: {
          Time: "string",
          JSON: "import('../json.js').JsonValue",
        },
        enumsAsTypes: true,
        useTypeImports: true,
      },
      presetConfig: { fragmentMasking: false },
    },
  },
};

export default config;
