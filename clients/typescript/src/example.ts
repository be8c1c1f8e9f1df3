// What an admin console does, against a running usergraph:
//   USERGRAPH_URL=http://127.0.0.1:8080/graphql USERGRAPH_POOL_ID=… USERGRAPH_SECRET=… npm run example
import {
  AddGroupsDocument,
  AddRolesDocument,
  AuthorizedResourcesDocument,
  CreateGroupDocument,
  CreateResourceDocument,
  CreateRoleDocument,
  CreateUserDocument,
  DefineCustomFieldDocument,
  DeleteUserDocument,
  GetUserDocument,
  GrantResourceDocument,
  ListUsersDocument,
  RemoveGroupsDocument,
  RemoveRolesDocument,
  SearchUsersDocument,
  SetCustomDataDocument,
  UpdateUserDocument,
  WhoCanDocument,
  RoleMembersDocument,
  PreviewAccessChangeDocument,
  DeleteGroupsDocument,
  DeleteRolesDocument,
  DeleteResourceDocument,
  RemoveCustomFieldDocument,
  UsergraphClient,
  UsergraphError,
} from "./index.js";
import type { JsonValue } from "./index.js";

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`set ${name}`);
  return v;
}

async function main(): Promise<void> {
  const client = new UsergraphClient(env("USERGRAPH_URL"));
  // The client mints admin tokens from the pool's id and secret, and a new
  // one before each expires. (In a browser console, pass
  // { token: async () => fetchFromYourBackend() } instead: never ship a
  // pool secret to a browser.)
  await client.signIn(env("USERGRAPH_POOL_ID"), env("USERGRAPH_SECRET"));
  console.log("signed in with the pool's id and secret");

  const suffix = Date.now().toString(36);
  // Everything made here is undone at the end, whatever fails in between.
  const cleanup: (() => Promise<unknown>)[] = [];
  try {
    await run(client, suffix, cleanup);
  } finally {
    for (const undo of cleanup.reverse()) await undo();
  }
  console.log("cleaned up everything the example made");
  console.log("example done");
}

async function run(client: UsergraphClient, suffix: string, cleanup: (() => Promise<unknown>)[]): Promise<void> {
  const { createUser } = await client.request(CreateUserDocument, {
    userInfo: { username: `ada-${suffix}`, email: `ada-${suffix}@example.com`, password: "correct-horse-battery", nickname: "Ada" },
  });
  cleanup.push(() => client.request(DeleteUserDocument, { id: createUser.id }).catch((e: unknown) => {
    if (!(e instanceof UsergraphError && e.code === "NOT_FOUND")) throw e; // deleted below already
  }));
  console.log(`created user ${createUser.username} (${createUser.id}) at ${createUser.createdAt}`);

  // A client mistake is a typed error with a code and the argument path.
  try {
    await client.request(CreateUserDocument, { userInfo: { email: `ADA-${suffix}@example.com` } });
    throw new Error("a second user with the same email was created");
  } catch (e) {
    if (!(e instanceof UsergraphError) || e.code !== "ALREADY_EXISTS" || e.field !== "userInfo.email") throw e;
    console.log(`duplicate email refused: ${e.code} on ${e.field}`);
  }

  const { updateUser } = await client.request(UpdateUserDocument, { id: createUser.id, input: { company: "Analytical Engines", nickname: null } });
  console.log(`updated: company=${updateUser.company}, nickname cleared=${updateUser.nickname === null}`);

  await client.request(CreateGroupDocument, { code: `eng-${suffix}`, name: "Engineering" });
  cleanup.push(() => client.request(DeleteGroupsDocument, { codes: [`eng-${suffix}`] }));
  await client.request(CreateRoleDocument, { code: `editor-${suffix}`, description: "Edits books" });
  cleanup.push(() => client.request(DeleteRolesDocument, { codes: [`editor-${suffix}`] }));
  const { addGroups } = await client.request(AddGroupsDocument, { userId: createUser.id, groups: [`eng-${suffix}`] });
  const { addRoles } = await client.request(AddRolesDocument, { userId: createUser.id, roles: [`editor-${suffix}`] });
  console.log(`groups: ${addGroups.list.map((g) => g.code).join(", ")}; roles: ${addRoles.list.map((r) => r.code).join(", ")}`);

  const { users } = await client.request(ListUsersDocument, { page: 1, limit: 10 });
  for (const u of users.list) {
    console.log(`  ${u.username ?? u.email ?? u.id} [${u.status}] groups=${u.groups.list.map((g) => g.code).join("|")} roles=${u.roles.list.map((r) => r.code).join("|")}`);
  }
  // Counts stop at 10,000 unless exactCount: show a lower bound as such.
  const shown = (n: number, exact: boolean) => (exact ? `${n}` : `${n}+`);
  console.log(`listed ${users.list.length} of ${shown(users.totalCount, users.totalCountExact)} users`);

  const { searchUsers } = await client.request(SearchUsersDocument, { query: `ada-${suffix}`, limit: 5 });
  console.log(`search "ada-${suffix}": ${shown(searchUsers.totalCount, searchUsers.totalCountExact)} hit(s)`);

  const field = `age_${suffix}`;
  await client.request(DefineCustomFieldDocument, { key: field, dataType: "NUMBER", label: "Age" });
  cleanup.push(() => client.request(RemoveCustomFieldDocument, { key: field }));
  const data: JsonValue = { [field]: 36 };
  const { setUdfValue } = await client.request(SetCustomDataDocument, { userId: createUser.id, data });
  console.log(`custom data: ${JSON.stringify(setUdfValue)}`);

  await client.request(CreateResourceDocument, {
    namespace: "default", code: `books-${suffix}`, type: "DATA",
    actions: [{ name: `books-${suffix}:read` }, { name: `books-${suffix}:delete` }],
  });
  cleanup.push(() => client.request(DeleteResourceDocument, { namespace: "default", code: `books-${suffix}` }));
  await client.request(GrantResourceDocument, {
    namespace: "default", resource: `books-${suffix}:*`,
    opts: [{ targetType: "ROLE", targetIdentifier: `editor-${suffix}`, actions: [`books-${suffix}:read`] }],
  });
  const { authorizedResources } = await client.request(AuthorizedResourcesDocument, { userId: createUser.id, namespace: "default" });
  for (const r of authorizedResources.list) {
    console.log(`  may ${r.actions.join(", ")} on ${r.code} via ${r.via.map((v) => `${v.targetType} ${v.code}`).join(", ")}`);
  }

  // The other way round: who may read these books, and how; and what
  // taking the role back would do, before doing it.
  const { usersWhoCan } = await client.request(WhoCanDocument, { resource: `books-${suffix}:7`, action: `books-${suffix}:read` });
  if (usersWhoCan.totalCount !== 1 || usersWhoCan.list[0]?.user.id !== createUser.id) throw new Error(`usersWhoCan: ${JSON.stringify(usersWhoCan)}`);
  console.log(`who may read books-${suffix}:7: ${usersWhoCan.list.map((a) => `${a.user.username} (via ${a.via.map((v) => `${v.targetType} ${v.code}`).join(", ")})`).join("; ")}`);
  const { role } = await client.request(RoleMembersDocument, { code: `editor-${suffix}`, membership: "EFFECTIVE" });
  console.log(`editor-${suffix} is held by ${role?.members.totalCount} user(s), directly: ${role?.members.list.map((m) => m.direct).join(", ")}`);
  const { previewAccessChange } = await client.request(PreviewAccessChangeDocument, {
    change: { removeRoles: { roles: [`editor-${suffix}`], userIds: [createUser.id] } },
  });
  const lost = previewAccessChange.lost.list[0];
  if (previewAccessChange.lost.totalCount !== 1 || !lost) throw new Error(`preview: ${JSON.stringify(previewAccessChange)}`);
  console.log(`taking editor-${suffix} back would take ${lost.changes.map((c) => `${c.actions.join(", ")} on ${c.resource}`).join("; ")} from ${previewAccessChange.lost.totalCount} user`);

  const { user } = await client.request(GetUserDocument, { id: createUser.id });
  console.log(`got ${user?.username}: blocked=${user?.blocked}, customData=${JSON.stringify(user?.customData)}`);

  await client.request(RemoveRolesDocument, { userId: createUser.id, roles: [`editor-${suffix}`] });
  await client.request(RemoveGroupsDocument, { userId: createUser.id, groups: [`eng-${suffix}`] });
  await client.request(DeleteUserDocument, { id: createUser.id });
  try {
    await client.request(UpdateUserDocument, { id: createUser.id, input: { nickname: "gone" } });
    throw new Error("updating a deleted user succeeded");
  } catch (e) {
    if (!(e instanceof UsergraphError) || e.code !== "NOT_FOUND" || e.field !== "id") throw e;
    console.log("deleted the user; updating it now gives NOT_FOUND on id");
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
