// GraphQL Codegen's client preset over the console's own operations
// (src/**/*.tsx), against the server's schema, with fragment masking on:
// each component declares the fields it reads as a fragment, as real
// consoles do, and sees only those.
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "../../schema.graphql",
  documents: ["src/**/*.tsx", "src/**/*.ts", "!src/gql/**"],
  ignoreNoDocuments: false,
  generates: {
    "src/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: { unmaskFunctionName: "getFragmentData" } },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { Time: "string", JSON: "unknown" },
      },
    },
  },
};
export default config;
