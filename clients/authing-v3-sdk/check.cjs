// The unmodified Authing V3 Node SDK (authing-node-sdk 4.0.1) against a live
// usergraph: USERGRAPH_URL=http://127.0.0.1:8080 USERGRAPH_POOL_ID=… USERGRAPH_SECRET=… npm test
// The pool's id and secret are its access key. Exits non-zero at the first
// answer that is not what usergraph promises; prints each step, and at the
// end the SDK's hottest read (listUsers, a page of 10) in requests per second.
const { ManagementClient } = require("authing-node-sdk");

const host = process.env.USERGRAPH_URL;
const accessKeyId = process.env.USERGRAPH_POOL_ID;
const accessKeySecret = process.env.USERGRAPH_SECRET;
if (!host || !accessKeyId || !accessKeySecret) throw new Error("set USERGRAPH_URL, USERGRAPH_POOL_ID and USERGRAPH_SECRET");

const client = new ManagementClient({ accessKeyId, accessKeySecret, host });
const run = Date.now().toString(36);

function check(ok, what, got) {
  if (!ok) {
    console.error(`FAILED: ${what}\n  got: ${JSON.stringify(got)}`);
    process.exit(1);
  }
  console.log(`ok: ${what}`);
}
// A call that must succeed: its data.
async function ok(what, p) {
  const r = await p;
  check(r && r.statusCode === 200, what, r);
  return r.data;
}
// A call that must fail with statusCode (and the native errorCode).
async function fails(what, p, statusCode, errorCode) {
  const r = await p;
  check(r && r.statusCode === statusCode && (!errorCode || r.errorCode === errorCode) && r.requestId && r.apiCode, what, r);
  return r;
}

(async () => {
  // Users.
  await ok("setCustomFields: a school for users", client.setCustomFields({ list: [{ targetType: "USER", key: "school", dataType: "STRING", label: "School" }, { targetType: "USER", key: "age", dataType: "NUMBER", label: "Age" }] }));
  const alice = await ok("createUser with a password in plain text and custom data", client.createUser({
    username: `alice-${run}`, email: `alice-${run}@example.com`, password: "Passw0rd!alice", name: "Alice Liddell", nickname: "Alice",
    gender: "F", status: "Activated", company: "Example Inc", customData: { school: "MIT", age: 20 }, options: { passwordEncryptType: "none" },
  }));
  check(alice.userId && alice.username === `alice-${run}` && alice.customData.school === "MIT" && alice.workStatus === "Active" && !("password" in alice),
    "the new user as a UserDto (userId, customData, no password)", alice);
  const batch = await ok("createUsersBatch", client.createUsersBatch({ list: [{ username: `bob-${run}`, email: `bob-${run}@example.com` }, { username: `carol-${run}`, customData: { school: "MIT" } }] }));
  check(batch.length === 2 && batch[0].username === `bob-${run}`, "createUsersBatch returns both users in order", batch);
  const [bob, carol] = batch;
  await ok("updateUser", client.updateUser({ userId: alice.userId, nickname: "Al", company: "Wonderland", customData: { age: 21 } }));
  const byEmail = await ok("updateUser by email (options.userIdType)", client.updateUser({ userId: `bob-${run}@example.com`, password: "N3w!pass", options: { userIdType: "email" } }));
  check(byEmail.userId === bob.userId, "the email named bob", byEmail);

  // Reference 003: updateUserBatch with the document's item fields and options.
  const updated = await ok("updateUserBatch as reference 003 shows it", client.updateUserBatch({
    list: [{ userId: bob.userId, status: "Activated", email: `bob2-${run}@example.com`, username: `bob2-${run}`, name: "xxxx", nickname: "xxxx",
      password: "passw0rd", photo: "https://files.authing.co/authing-console/default-user-avatar.png", gender: "M", birthdate: "2022-06-03",
      country: "CN", province: "BJ", city: "BJ", address: "xxxxxxx", streetAddress: "xxx street", postalCode: "438100", company: "steamory",
      browser: "Mozilla/5.0", device: "iOS", givenName: "xx", familyName: "xx", middleName: "James", profile: "alice", preferredUsername: "alice",
      website: "https://my-website.com", zoneinfo: "GMT-08:00", locale: "af", formatted: "132, My Street, Kingston, New York 12401.",
      region: "Xinjiang Uyghur Autonomous Region" }],
    options: { resetPasswordOnNextLogin: true, passwordEncryptType: "none" },
  }));
  check(updated.length === 1 && updated[0].username === `bob2-${run}` && updated[0].resetPasswordOnNextLogin === true, "the batch's user, updated", updated);
  const conflict = await fails("updateUserBatch with a taken email changes nothing", client.updateUserBatch({ list: [
    { userId: carol.userId, nickname: "changed" }, { userId: alice.userId, email: `bob2-${run}@example.com` }] }), 409, "ALREADY_EXISTS");
  check(conflict.field.startsWith("list.1"), "the refusal names the item", conflict);
  const carolNow = await ok("getUser", client.getUser({ userId: carol.userId, withCustomData: true }));
  check(carolNow.nickname !== "changed" && carolNow.customData.school === "MIT", "the refused batch left carol as she was", carolNow);

  const got = await ok("getUserBatch by username", client.getUserBatch({ userIds: [`alice-${run}`, `carol-${run}`], userIdType: "username" }));
  check(got.length === 2, "both users by username", got);
  await ok("isUserExists", client.isUserExists({ email: `alice-${run}@example.com` })).then((d) => check(d.exists === true, "alice exists", d));
  await ok("isUserExists (absent)", client.isUserExists({ username: `nobody-${run}` })).then((d) => check(d.exists === false, "nobody does not", d));

  // listUsers: keywords, advanced filters, pagination.
  const byKeywords = await ok("listUsers by keywords", client.listUsers({ keywords: run, options: { pagination: { page: 1, limit: 10 }, withCustomData: true } }));
  check(byKeywords.totalCount === 3 && byKeywords.list.length === 3, "three users match the run's keyword", byKeywords);
  const bySchool = await ok("listUsers with advancedFilter (custom field)", client.listUsers({ keywords: run, advancedFilter: [{ field: "school", operator: "EQUAL", value: "MIT" }] }));
  check(bySchool.totalCount === 2, "two of them are at MIT", bySchool);
  const byStatus = await ok("listUsers with advancedFilter (status)", client.listUsers({ keywords: run, advancedFilter: [{ field: "status", operator: "EQUAL", value: "Suspended" }] }));
  check(byStatus.totalCount === 0, "none of them is suspended", byStatus);
  await fails("listUsers refuses limit 220", client.listUsers({ options: { pagination: { page: 1, limit: 220 } } }), 400, "INVALID_INPUT");
  await fails("listUsers refuses an unknown status", client.listUsers({ advancedFilter: [{ field: "status", operator: "EQUAL", value: "invalid" }] }), 400, "INVALID_INPUT");

  // Errors: business errors are HTTP 200 with statusCode (the SDK returns them).
  await fails("createUser without an identifier", client.createUser({}), 400, "INVALID_INPUT");
  await fails("createUser with a malformed email", client.createUser({ email: "test1@qqq" }), 400, "INVALID_INPUT");
  await fails("getUser of an unknown id", client.getUser({ userId: "no-such-user" }), 404, "NOT_FOUND");
  await fails("createUser with a taken username", client.createUser({ username: `alice-${run}` }), 409, "ALREADY_EXISTS");

  // Groups.
  const group = await ok("createGroup", client.createGroup({ code: `eng-${run}`, name: "Engineering", description: "builders" }));
  check(group.code === `eng-${run}` && group.name === "Engineering", "the group", group);
  await fails("createGroup with a taken code", client.createGroup({ code: `eng-${run}`, name: "again", description: "" }), 409, "ALREADY_EXISTS");
  await ok("addGroupMembers", client.addGroupMembers({ code: `eng-${run}`, userIds: [alice.userId, carol.userId] }));
  const members = await ok("listGroupMembers", client.listGroupMembers({ code: `eng-${run}` }));
  check(members.totalCount === 2, "two members", members);
  const aliceGroups = await ok("getUserGroups", client.getUserGroups({ userId: alice.userId }));
  check(aliceGroups.list.some((g) => g.code === `eng-${run}`), "alice is in the group", aliceGroups);
  await ok("updateGroup", client.updateGroup({ code: `eng-${run}`, name: "Engineering 2", description: "renamed" }));
  await fails("getGroup of an unknown code", client.getGroup({ code: `nope-${run}` }), 404, "NOT_FOUND");

  // Roles.
  await ok("createNamespace", client.createNamespace({ code: `app-${run}`, name: "App", description: "an app" }));
  const role = await ok("createRole", client.createRole({ code: `admin-${run}`, namespace: `app-${run}`, description: "admins" }));
  check(role.code === `admin-${run}` && role.namespace === `app-${run}`, "the role", role);
  await ok("assignRole to a user", client.assignRole({ code: `admin-${run}`, namespace: `app-${run}`, targets: [{ targetType: "USER", targetIdentifier: alice.userId }] }));
  await ok("assignRole to a group", client.assignRole({ code: `admin-${run}`, namespace: `app-${run}`, targets: [{ targetType: "GROUP", targetIdentifier: `eng-${run}` }] }));
  const roleMembers = await ok("listRoleMembers", client.listRoleMembers({ code: `admin-${run}`, namespace: `app-${run}` }));
  check(roleMembers.totalCount === 1, "one direct holder", roleMembers);
  const aliceRoles = await ok("getUserRoles in the namespace", client.getUserRoles({ userId: alice.userId, namespace: `app-${run}` }));
  check(aliceRoles.list.some((r) => r.code === `admin-${run}`), "alice holds the role", aliceRoles);
  await fails("assignRole to an unknown user", client.assignRole({ code: `admin-${run}`, namespace: `app-${run}`, targets: [{ targetType: "USER", targetIdentifier: "nobody" }] }), 404, "NOT_FOUND");
  await fails("getRole in an unknown namespace", client.getRole({ code: `admin-${run}`, namespace: `nope-${run}` }), 404, "NOT_FOUND");

  // Custom data by target type.
  await ok("setCustomData for a user", client.setCustomData({ targetType: "USER", targetIdentifier: carol.userId, list: [{ key: "age", value: "33" }] }));
  const carolData = await ok("getCustomData for a user", client.getCustomData({ targetType: "USER", targetIdentifier: carol.userId }));
  check(carolData.age === 33 && carolData.school === "MIT", "typed custom data (age as a number)", carolData);
  await ok("setCustomFields for groups", client.setCustomFields({ list: [{ targetType: "GROUP", key: "floor", dataType: "NUMBER", label: "Floor" }] }));
  await ok("setCustomData for a group", client.setCustomData({ targetType: "GROUP", targetIdentifier: `eng-${run}`, list: [{ key: "floor", value: "3" }] }));
  const groupData = await ok("getCustomData for a group", client.getCustomData({ targetType: "GROUP", targetIdentifier: `eng-${run}` }));
  check(groupData.floor === 3, "the group's floor", groupData);
  await fails("setCustomData for an undefined key", client.setCustomData({ targetType: "USER", targetIdentifier: carol.userId, list: [{ key: "nope", value: "x" }] }), 400, "INVALID_INPUT");

  // Resources, grants and checks.
  await ok("createResource", client.createResource({ code: `books-${run}`, type: "DATA", namespace: `app-${run}`, description: "books", actions: [{ name: "read", description: "read" }, { name: "write", description: "write" }] }));
  const res = await ok("getResource", client.getResource({ code: `books-${run}`, namespace: `app-${run}` }));
  check(res.code === `books-${run}` && res.actions.length === 2, "the resource", res);
  await ok("authorizeResources to the role", client.authorizeResources({ namespace: `app-${run}`, list: [{ targetType: "ROLE", targetIdentifiers: [`admin-${run}`], resources: [{ code: `books-${run}`, actions: ["read"], resourceType: "DATA" }] }] }));
  const allowed = await ok("isActionAllowed (through the role)", client.isActionAllowed({ userId: alice.userId, resource: `books-${run}`, action: "read", namespace: `app-${run}` }));
  check(allowed.allowed === true, "alice may read", allowed);
  const carolAllowed = await ok("isActionAllowed (through the group's role)", client.isActionAllowed({ userId: carol.userId, resource: `books-${run}`, action: "read", namespace: `app-${run}` }));
  check(carolAllowed.allowed === true, "carol may read through the group", carolAllowed);
  const denied = await ok("isActionAllowed (not granted)", client.isActionAllowed({ userId: alice.userId, resource: `books-${run}`, action: "write", namespace: `app-${run}` }));
  check(denied.allowed === false, "alice may not write", denied);
  const auth = await ok("getUserAuthorizedResources", client.getUserAuthorizedResources({ userId: alice.userId, namespace: `app-${run}` }));
  check(auth.list.some((r) => r.resourceCode === `books-${run}` && r.actions.includes("read")), "alice's resources", auth);
  const roleAuth = await ok("getAuthorizedResources of the role", client.getAuthorizedResources({ targetType: "ROLE", targetIdentifier: `admin-${run}`, namespace: `app-${run}` }));
  check(roleAuth.totalCount === 1, "the role's grant", roleAuth);
  await fails("checkPermission is not modelled", client.checkPermission({ namespaceCode: `app-${run}`, userId: alice.userId, action: "read", resources: [`books-${run}`] }), 400, "INVALID_INPUT");
  await ok("revokeRole", client.revokeRole({ code: `admin-${run}`, namespace: `app-${run}`, targets: [{ targetType: "USER", targetIdentifier: alice.userId }] }));

  // A refused signature throws (HTTP 401).
  try {
    await new ManagementClient({ accessKeyId, accessKeySecret: "wrong", host }).listUsers({});
    check(false, "a wrong secret is refused", "no error");
  } catch (e) {
    check(e.response && e.response.status === 401 && e.response.data.statusCode === 401, "a wrong secret is refused with HTTP 401", e.response && e.response.data);
  }

  await ok("deleteUsersBatch", client.deleteUsersBatch({ userIds: [bob.userId, carol.userId] }));
  await fails("getUser after delete", client.getUser({ userId: bob.userId }), 404, "NOT_FOUND");

  // The hottest read: listUsers, a page of 10, N requests, 4 at a time.
  const n = Number(process.env.V3_BENCH_REQUESTS || 400);
  const start = Date.now();
  let next = 0;
  await Promise.all([0, 1, 2, 3].map(async () => {
    while (next++ < n) {
      const r = await client.listUsers({ options: { pagination: { page: 1, limit: 10 } } });
      if (r.statusCode !== 200) throw new Error(JSON.stringify(r));
    }
  }));
  const s = (Date.now() - start) / 1000;
  console.log(`listUsers (a page of 10) through the SDK: ${n} requests in ${s.toFixed(2)} s, ${(n / s).toFixed(0)} req/s (4 at a time, the SDK's signing included)`);
  console.log("authing-node-sdk 4.0.1: every step passed");
})().catch((e) => {
  console.error(e.response ? { status: e.response.status, data: e.response.data } : e);
  process.exit(1);
});
