// The schema change policy, as CI runs it (cd deploy/schemadiff && npm run check):
// schema.graphql is compared with the last release's (deploy/schemadiff/released.graphql,
// which deploy/release.sh replaces at each release) by GraphQL Inspector; every breaking
// change must be announced in docs/CHANGELOG.md's Unreleased section, naming its path
// (User.roles, Query.users.filter, …). Removals go through @deprecated first: a field
// removed without having been deprecated in the last release fails even when announced.
import { readFileSync } from "node:fs";
import { buildSchema, parse, print, visit } from "graphql";
import { diff, CriticalityLevel } from "@graphql-inspector/core";

const root = new URL("../../", import.meta.url);
const read = (p) => readFileSync(new URL(p, root), "utf8");
// --self-test: the check must fail on schema.graphql with User.heldRoles
// removed and unannounced (CI runs it, so the check cannot pass vacuously).
const selfTest = process.argv[2] === "--self-test";
const args = selfTest ? [] : process.argv.slice(2);
const before = buildSchema(read(args[0] ?? "deploy/schemadiff/released.graphql"));
let afterSDL = read(args[1] ?? "schema.graphql");
if (selfTest) {
  afterSDL = print(visit(parse(afterSDL), {
    ObjectTypeDefinition: (node) => node.name.value === "User"
      ? { ...node, fields: node.fields.filter((f) => f.name.value !== "heldRoles") } : undefined,
  }));
}
const after = buildSchema(afterSDL);
const changelog = read(args[2] ?? "docs/CHANGELOG.md");
const unreleased = (changelog.split(/^## \[Unreleased\]/m)[1] ?? "").split(/^## \[/m)[0];

const changes = await diff(before, after);
const breaking = changes.filter((c) => c.criticality.level === CriticalityLevel.Breaking);
const problems = [];
for (const c of breaking) {
  const path = c.path ?? "";
  if (!path || !unreleased.includes(path)) {
    problems.push(`unannounced breaking change: ${c.message}${path ? ` (announce ${path} in docs/CHANGELOG.md's Unreleased section)` : ""}`);
  }
  if (c.type === "FIELD_REMOVED") {
    const [type, field] = path.split(".");
    const def = before.getType(type);
    const was = def && "getFields" in def ? def.getFields()[field] : undefined;
    if (was && !was.deprecationReason) problems.push(`${path} was removed without being @deprecated in the last release first`);
  }
}
const counts = changes.reduce((m, c) => ((m[c.criticality.level] = (m[c.criticality.level] ?? 0) + 1), m), {});
console.log(`schema changes since the last release: ${JSON.stringify(counts)}`);
if (selfTest) {
  if (!problems.some((p) => p.includes("User.heldRoles"))) {
    console.error("self-test: removing User.heldRoles unannounced was not caught");
    process.exit(1);
  }
  console.log("self-test: an unannounced removal is caught");
  process.exit(0);
}
if (problems.length) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log(`schema change policy holds (${breaking.length} breaking change(s), each announced)`);
