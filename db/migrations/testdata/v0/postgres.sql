--
-- PostgreSQL database dump
--

\restrict Nhb08kCMj3KM6DLCMJbowtYb8T6isThhK0bsdh0UP3CEcqGGli6sJOHXwzQAFdE

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: ugfixture; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA ugfixture;


--
-- Name: ug_fold(text); Type: FUNCTION; Schema: ugfixture; Owner: -
--

CREATE FUNCTION ugfixture.ug_fold(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $_$ SELECT translate($1, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') $_$;


--
-- Name: ug_member_state(); Type: FUNCTION; Schema: ugfixture; Owner: -
--

CREATE FUNCTION ugfixture.ug_member_state() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
	DECLARE s text; h boolean;
	BEGIN
		SELECT u.status, u.hidden INTO s, h FROM users u WHERE u.id = NEW.user_id;
		IF FOUND THEN NEW.user_status := s; NEW.user_hidden := h; END IF;
		RETURN NEW;
	END $$;


--
-- Name: ug_user_state(); Type: FUNCTION; Schema: ugfixture; Owner: -
--

CREATE FUNCTION ugfixture.ug_user_state() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
	BEGIN
		UPDATE group_members SET user_status = NEW.status, user_hidden = NEW.hidden WHERE user_id = NEW.id;
		RETURN NULL;
	END $$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: api_keys; Type: TABLE; Schema: ugfixture; Owner: -
--

CREATE TABLE ugfixture.api_keys (
    id character varying(36) NOT NULL,
    pool_id character varying(36) NOT NULL,
    name character varying(255) NOT NULL,
    scopes text NOT NULL,
    secret_hash bytea NOT NULL,
    created_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone,
    last_used_at timestamp with time zone,
    revoked_at timestamp with time zone
);


--
-- Name: audit_records; Type: TABLE; Schema: ugfixture; Owner: -
--

CREATE TABLE ugfixture.audit_records (
    id character varying(36) NOT NULL,
    pool_id character varying(36) NOT NULL,
    at timestamp with time zone NOT NULL,
    actor_type character varying(16) NOT NULL,
    actor_id character varying(36) NOT NULL,
    actor_name character varying(255) NOT NULL,
    operation character varying(64) NOT NULL,
    object_type character varying(16) NOT NULL,
    object_id character varying(36) NOT NULL,
    changes text NOT NULL
);


--
-- Name: grants; Type: TABLE; Schema: ugfixture; Owner: -
--

CREATE TABLE ugfixture.grants (
    id character varying(36) NOT NULL,
    pool_id character varying(36) NOT NULL,
    resource_id character varying(36) NOT NULL,
    resource_code character varying(255) NOT NULL,
    resource_type character varying(8) NOT NULL,
    namespace character varying(64) NOT NULL,
    target_type character varying(8) NOT NULL,
    user_id character varying(36),
    role_id character varying(36),
    group_id character varying(36),
    target_key character varying(48) NOT NULL,
    actions text,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: group_closures; Type: TABLE; Schema: ugfixture; Owner: -
--

CREATE TABLE ugfixture.group_closures (
    ancestor_id character varying(36) NOT NULL,
    descendant_id character varying(36) NOT NULL,
    pool_id character varying(36) NOT NULL,
    depth bigint NOT NULL
);


--
-- Name: group_members; Type: TABLE; Schema: ugfixture; Owner: -
--

CREATE TABLE ugfixture.group_members (
    group_id character varying(36) NOT NULL,
    user_id character varying(36) NOT NULL,
    pool_id character varying(36) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    user_status character varying(16) DEFAULT 'Activated'::character varying NOT NULL,
    user_hidden boolean DEFAULT false NOT NULL
);


--
-- Name: group_roles; Type: TABLE; Schema: ugfixture; Owner: -
--

CREATE TABLE ugfixture.group_roles (
    group_id character varying(36) NOT NULL,
    role_id character varying(36) NOT NULL,
    pool_id character varying(36) NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: group_udf_values; Type: TABLE; Schema: ugfixture; Owner: -
--

CREATE TABLE ugfixture.group_udf_values (
    group_id character varying(36) NOT NULL,
    definition_id character varying(36) NOT NULL,
    pool_id character varying(36) NOT NULL,
    string_value character varying(10000),
    number_value numeric,
    bool_value boolean,
    time_value timestamp with time zone,
    object_value text
);


--
-- Name: groups; Type: TABLE; Schema: ugfixture; Owner: -
--

CREATE TABLE ugfixture.groups (
    id character varying(36) NOT NULL,
    pool_id character varying(36) NOT NULL,
    code character varying(64) NOT NULL,
    name character varying(255),
    description character varying(1000),
    parent_id character varying(36),
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: identities; Type: TABLE; Schema: ugfixture; Owner: -
--

CREATE TABLE ugfixture.identities (
    id character varying(36) NOT NULL,
    pool_id character varying(36) NOT NULL,
    user_id character varying(36) NOT NULL,
    provider character varying(64) NOT NULL,
    type character varying(64) NOT NULL,
    user_id_in_idp character varying(255) NOT NULL,
    ext_idp_id character varying(255),
    created_at timestamp with time zone NOT NULL
);


--
-- Name: namespaces; Type: TABLE; Schema: ugfixture; Owner: -
--

CREATE TABLE ugfixture.namespaces (
    id character varying(36) NOT NULL,
    pool_id character varying(36) NOT NULL,
    code character varying(64) NOT NULL,
    name character varying(255),
    description character varying(1000),
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: resources; Type: TABLE; Schema: ugfixture; Owner: -
--

CREATE TABLE ugfixture.resources (
    id character varying(36) NOT NULL,
    pool_id character varying(36) NOT NULL,
    namespace_id character varying(36) NOT NULL,
    namespace character varying(64) NOT NULL,
    code character varying(64) NOT NULL,
    type character varying(8) NOT NULL,
    description character varying(1000),
    actions text,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: role_members; Type: TABLE; Schema: ugfixture; Owner: -
--

CREATE TABLE ugfixture.role_members (
    role_id character varying(36) NOT NULL,
    user_id character varying(36) NOT NULL,
    pool_id character varying(36) NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: role_udf_values; Type: TABLE; Schema: ugfixture; Owner: -
--

CREATE TABLE ugfixture.role_udf_values (
    role_id character varying(36) NOT NULL,
    definition_id character varying(36) NOT NULL,
    pool_id character varying(36) NOT NULL,
    string_value character varying(10000),
    number_value numeric,
    bool_value boolean,
    time_value timestamp with time zone,
    object_value text
);


--
-- Name: roles; Type: TABLE; Schema: ugfixture; Owner: -
--

CREATE TABLE ugfixture.roles (
    id character varying(36) NOT NULL,
    pool_id character varying(36) NOT NULL,
    namespace_id character varying(36) NOT NULL,
    namespace character varying(64) NOT NULL,
    code character varying(64) NOT NULL,
    description character varying(1000),
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: settings; Type: TABLE; Schema: ugfixture; Owner: -
--

CREATE TABLE ugfixture.settings (
    key character varying(64) NOT NULL,
    value bytea NOT NULL
);


--
-- Name: udf_definitions; Type: TABLE; Schema: ugfixture; Owner: -
--

CREATE TABLE ugfixture.udf_definitions (
    id character varying(36) NOT NULL,
    pool_id character varying(36) NOT NULL,
    target_type character varying(8) NOT NULL,
    key character varying(64) NOT NULL,
    data_type character varying(8) NOT NULL,
    label character varying(255),
    description character varying(1000),
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: user_pools; Type: TABLE; Schema: ugfixture; Owner: -
--

CREATE TABLE ugfixture.user_pools (
    id character varying(36) NOT NULL,
    name character varying(255) NOT NULL,
    secret_hash bytea NOT NULL,
    is_default boolean DEFAULT false NOT NULL,
    secret_generation bigint DEFAULT 0 NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: user_udf_values; Type: TABLE; Schema: ugfixture; Owner: -
--

CREATE TABLE ugfixture.user_udf_values (
    user_id character varying(36) NOT NULL,
    definition_id character varying(36) NOT NULL,
    pool_id character varying(36) NOT NULL,
    string_value character varying(10000),
    number_value numeric,
    bool_value boolean,
    time_value timestamp with time zone,
    object_value text
);


--
-- Name: users; Type: TABLE; Schema: ugfixture; Owner: -
--

CREATE TABLE ugfixture.users (
    id character varying(36) NOT NULL,
    pool_id character varying(36) NOT NULL,
    username character varying(128),
    email character varying(254),
    email_verified boolean DEFAULT false NOT NULL,
    phone character varying(32),
    phone_country_code character varying(8),
    phone_verified boolean DEFAULT false NOT NULL,
    external_id character varying(255),
    unionid character varying(255),
    openid character varying(255),
    name character varying(255),
    nickname character varying(255),
    given_name character varying(255),
    family_name character varying(255),
    middle_name character varying(255),
    preferred_username character varying(255),
    profile character varying(2048),
    photo character varying(2048),
    website character varying(2048),
    gender character varying(1) DEFAULT 'U'::character varying NOT NULL,
    birthdate character varying(10),
    zoneinfo character varying(64),
    locale character varying(35),
    address character varying(1024),
    formatted character varying(1024),
    street_address character varying(1024),
    locality character varying(255),
    region character varying(255),
    postal_code character varying(32),
    city character varying(255),
    province character varying(255),
    country character varying(255),
    company character varying(255),
    identity_number character varying(64),
    browser character varying(1024),
    device character varying(255),
    register_source character varying(1024),
    user_source_type character varying(32) DEFAULT 'adminCreated'::character varying NOT NULL,
    logins_count bigint DEFAULT 0 NOT NULL,
    last_login timestamp with time zone,
    last_ip character varying(45),
    signed_up timestamp with time zone,
    status character varying(16) DEFAULT 'Activated'::character varying NOT NULL,
    status_changed_at timestamp with time zone,
    hidden boolean DEFAULT false NOT NULL,
    token_expired_at timestamp with time zone,
    token_generation bigint DEFAULT 0 NOT NULL,
    password_hash character varying(255),
    password_last_set_at timestamp with time zone,
    reset_password_on_next_login boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    search_text text GENERATED ALWAYS AS (ugfixture.ug_fold((((((((((((((((((((((COALESCE(username, ''::character varying))::text || ''::text) || (COALESCE(nickname, ''::character varying))::text) || ''::text) || (COALESCE(email, ''::character varying))::text) || ''::text) || (COALESCE(phone, ''::character varying))::text) || ''::text) || (COALESCE(company, ''::character varying))::text) || ''::text) || (COALESCE(name, ''::character varying))::text) || ''::text) || (COALESCE(given_name, ''::character varying))::text) || ''::text) || (COALESCE(family_name, ''::character varying))::text) || ''::text) || (COALESCE(middle_name, ''::character varying))::text) || ''::text) || (COALESCE(profile, ''::character varying))::text) || ''::text) || (COALESCE(preferred_username, ''::character varying))::text))) STORED
);


--
-- Data for Name: api_keys; Type: TABLE DATA; Schema: ugfixture; Owner: -
--

INSERT INTO ugfixture.api_keys (id, pool_id, name, scopes, secret_hash, created_at, expires_at, last_used_at, revoked_at) VALUES ('01a24ec7-8ec0-74a8-bdee-4a65c12f3cb2', '01a24ec7-8e4f-74ac-9d3f-afc2744ca468', 'help desk', '["users:read","groups:read"]', '\xf0aeecbface2c657eae2b0a59e92e2efebb0038ae52459ce1db97d882cd9f76a', '2026-12-07 04:33:50.784303+00', NULL, NULL, NULL);
INSERT INTO ugfixture.api_keys (id, pool_id, name, scopes, secret_hash, created_at, expires_at, last_used_at, revoked_at) VALUES ('01a24ec7-8ee5-7348-80dd-1724d6b4c588', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', 'revoked', '["users:read"]', '\xbdc4a5b87534bbe4bf7719f43409a9699f1ce3570e8f65ca058b36b8af971259', '2026-12-07 04:33:50.821214+00', NULL, NULL, '2026-12-07 04:33:50.822702+00');


--
-- Data for Name: audit_records; Type: TABLE DATA; Schema: ugfixture; Owner: -
--

INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8e4f-7c4b-86ae-ecd39b0cdbfa', '01a24ec7-8e4f-74ac-9d3f-afc2744ca468', '2026-12-07 04:33:50.670894+00', 'SYSTEM', 'system', 'system', '', 'USER_POOL', '01a24ec7-8e4f-74ac-9d3f-afc2744ca468', '[{"field":"name","before":null,"after":"default"},{"field":"isDefault","before":null,"after":true},{"field":"createdAt","before":null,"after":"2026-12-07T04:33:50.671307Z"},{"field":"secret","before":null,"after":"[redacted]"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8e80-75f5-aefc-6dc2a1f5d37b', '01a24ec7-8e4f-74ac-9d3f-afc2744ca468', '2026-12-07 04:33:50.719401+00', 'POOL_SECRET', 'pool-secret', 'pool secret', 'setUdf', 'UDF', '01a24ec7-8e80-75ba-8ae2-f2f1985f5ae8', '[{"field":"targetType","before":null,"after":"USER"},{"field":"key","before":null,"after":"age"},{"field":"dataType","before":null,"after":"NUMBER"},{"field":"label","before":null,"after":"Age"},{"field":"createdAt","before":null,"after":"2026-12-07T04:33:50.719404Z"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8e8d-74bd-b18c-10f8726f7fd6', '01a24ec7-8e4f-74ac-9d3f-afc2744ca468', '2026-12-07 04:33:50.731808+00', 'POOL_SECRET', 'pool-secret', 'pool secret', 'createUser', 'USER', '01a24ec7-8e81-7a84-b513-68d6152d400a', '[{"field":"username","before":null,"after":"alice"},{"field":"email","before":null,"after":"alice@example.com"},{"field":"nickname","before":null,"after":"Alice"},{"field":"gender","before":null,"after":"U"},{"field":"userSourceType","before":null,"after":"adminCreated"},{"field":"status","before":null,"after":"Activated"},{"field":"passwordLastSetAt","before":null,"after":"2026-12-07T04:33:50.721554Z"},{"field":"createdAt","before":null,"after":"2026-12-07T04:33:50.721554Z"},{"field":"password","before":null,"after":"[redacted]"},{"field":"customData.age","before":null,"after":36}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8e93-7a15-9bac-18da40b4d363', '01a24ec7-8e4f-74ac-9d3f-afc2744ca468', '2026-12-07 04:33:50.738538+00', 'POOL_SECRET', 'pool-secret', 'pool secret', 'updateUser', 'USER', '01a24ec7-8e81-7a84-b513-68d6152d400a', '[{"field":"emailVerified","before":false,"after":true},{"field":"nickname","before":"Alice","after":null},{"field":"company","before":null,"after":"Analytical Engines"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8e97-71f7-9cb0-c15cde283c62', '01a24ec7-8e4f-74ac-9d3f-afc2744ca468', '2026-12-07 04:33:50.742418+00', 'POOL_SECRET', 'pool-secret', 'pool secret', 'createUsers', 'USER', '01a24ec7-8e96-7403-9b75-c69b378bd5b7', '[{"field":"username","before":null,"after":"bob"},{"field":"email","before":null,"after":"bob@example.com"},{"field":"gender","before":null,"after":"U"},{"field":"userSourceType","before":null,"after":"adminCreated"},{"field":"status","before":null,"after":"Activated"},{"field":"createdAt","before":null,"after":"2026-12-07T04:33:50.742245Z"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8e97-7824-8e7e-7d66b4a055f7', '01a24ec7-8e4f-74ac-9d3f-afc2744ca468', '2026-12-07 04:33:50.742418+00', 'POOL_SECRET', 'pool-secret', 'pool secret', 'createUsers', 'USER', '01a24ec7-8e96-7463-aced-d694521ae19d', '[{"field":"username","before":null,"after":"dave"},{"field":"phone","before":null,"after":"+15550100"},{"field":"gender","before":null,"after":"U"},{"field":"userSourceType","before":null,"after":"adminCreated"},{"field":"status","before":null,"after":"Activated"},{"field":"createdAt","before":null,"after":"2026-12-07T04:33:50.742245Z"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8e98-75a7-b8db-c9d82ced0b74', '01a24ec7-8e4f-74ac-9d3f-afc2744ca468', '2026-12-07 04:33:50.744356+00', 'POOL_SECRET', 'pool-secret', 'pool secret', 'createGroup', 'GROUP', '01a24ec7-8e98-7367-8547-ae6a8598a2cb', '[{"field":"code","before":null,"after":"staff"},{"field":"name","before":null,"after":"Staff"},{"field":"createdAt","before":null,"after":"2026-12-07T04:33:50.744222Z"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8e9b-7d89-a1fe-e2c368a4b64f', '01a24ec7-8e4f-74ac-9d3f-afc2744ca468', '2026-12-07 04:33:50.746189+00', 'POOL_SECRET', 'pool-secret', 'pool secret', 'addGroupMembers', 'USER', '01a24ec7-8e81-7a84-b513-68d6152d400a', '[{"field":"groups","before":null,"after":"staff"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8e9e-7799-bbed-51e549cbbe58', '01a24ec7-8e4f-74ac-9d3f-afc2744ca468', '2026-12-07 04:33:50.74999+00', 'POOL_SECRET', 'pool-secret', 'pool secret', 'setUdf', 'UDF', '01a24ec7-8e9e-7783-9b8e-586b697f1809', '[{"field":"targetType","before":null,"after":"GROUP"},{"field":"key","before":null,"after":"costCenter"},{"field":"dataType","before":null,"after":"STRING"},{"field":"label","before":null,"after":"Cost center"},{"field":"createdAt","before":null,"after":"2026-12-07T04:33:50.749992Z"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8ea0-758f-aa27-6953f8234cbd', '01a24ec7-8e4f-74ac-9d3f-afc2744ca468', '2026-12-07 04:33:50.750987+00', 'POOL_SECRET', 'pool-secret', 'pool secret', 'setGroupUdfValue', 'GROUP', '01a24ec7-8e98-7367-8547-ae6a8598a2cb', '[{"field":"customData.costCenter","before":null,"after":"CC-100"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8ea3-71ff-aa02-7120011425b3', '01a24ec7-8e4f-74ac-9d3f-afc2744ca468', '2026-12-07 04:33:50.754887+00', 'POOL_SECRET', 'pool-secret', 'pool secret', 'createRole', 'ROLE', '01a24ec7-8ea2-7bb0-a104-17c311de0fa8', '[{"field":"namespace","before":null,"after":"default"},{"field":"code","before":null,"after":"editor"},{"field":"description","before":null,"after":"Edits books"},{"field":"createdAt","before":null,"after":"2026-12-07T04:33:50.754764Z"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8ea5-7c2f-a689-4705d5c7537b', '01a24ec7-8e4f-74ac-9d3f-afc2744ca468', '2026-12-07 04:33:50.756259+00', 'POOL_SECRET', 'pool-secret', 'pool secret', 'addRoles', 'USER', '01a24ec7-8e81-7a84-b513-68d6152d400a', '[{"field":"roles","before":null,"after":"default/editor"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8ea7-79c0-82af-5ea6a9ab0469', '01a24ec7-8e4f-74ac-9d3f-afc2744ca468', '2026-12-07 04:33:50.758967+00', 'POOL_SECRET', 'pool-secret', 'pool secret', 'setUdfValue', 'USER', '01a24ec7-8e81-7a84-b513-68d6152d400a', '[{"field":"customData.age","before":36,"after":37}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8eb1-7b97-a159-287d66c2431c', '01a24ec7-8e4f-74ac-9d3f-afc2744ca468', '2026-12-07 04:33:50.769577+00', 'POOL_SECRET', 'pool-secret', 'pool secret', 'createResource', 'RESOURCE', '01a24ec7-8eb1-76ef-923b-4e76fa9112b7', '[{"field":"namespace","before":null,"after":"default"},{"field":"code","before":null,"after":"books"},{"field":"type","before":null,"after":"DATA"},{"field":"actions","before":null,"after":[{"name":"books:read","description":null},{"name":"books:write","description":null}]},{"field":"createdAt","before":null,"after":"2026-12-07T04:33:50.769452Z"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8eb5-73e6-8138-b7afe58050cf', '01a24ec7-8e4f-74ac-9d3f-afc2744ca468', '2026-12-07 04:33:50.770971+00', 'POOL_SECRET', 'pool-secret', 'pool secret', 'authorizeResource', 'ROLE', '01a24ec7-8ea2-7bb0-a104-17c311de0fa8', '[{"field":"grants.default/books:*","before":null,"after":["books:read","books:write"]}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8ec1-70a6-99fb-31c2728cc0ec', '01a24ec7-8e4f-74ac-9d3f-afc2744ca468', '2026-12-07 04:33:50.784488+00', 'POOL_SECRET', 'pool-secret', 'pool secret', 'createApiKey', 'API_KEY', '01a24ec7-8ec0-74a8-bdee-4a65c12f3cb2', '[{"field":"name","before":null,"after":"help desk"},{"field":"scopes","before":null,"after":["users:read","groups:read"]},{"field":"createdAt","before":null,"after":"2026-12-07T04:33:50.784303Z"},{"field":"key","before":null,"after":"[redacted]"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8ece-7ab1-af2f-00db8753a078', '01a24ec7-8e4f-74ac-9d3f-afc2744ca468', '2026-12-07 04:33:50.79608+00', 'POOL_SECRET', 'pool-secret', 'pool secret', 'archiveUser', 'USER', '01a24ec7-8e81-7a84-b513-68d6152d400a', '[{"field":"status","before":"Activated","after":"Archived"},{"field":"statusChangedAt","before":null,"after":"2026-12-07T04:33:50.795935Z"},{"field":"tokens","before":null,"after":"revoked"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8ed1-7954-8950-af5e4290f048', '01a24ec7-8e4f-74ac-9d3f-afc2744ca468', '2026-12-07 04:33:50.800766+00', 'POOL_SECRET', 'pool-secret', 'pool secret', 'restoreUser', 'USER', '01a24ec7-8e81-7a84-b513-68d6152d400a', '[{"field":"status","before":"Archived","after":"Activated"},{"field":"statusChangedAt","before":"2026-12-07T04:33:50.795935Z","after":"2026-12-07T04:33:50.800701Z"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8ed2-760f-8fcb-759e169a36bf', '01a24ec7-8e4f-74ac-9d3f-afc2744ca468', '2026-12-07 04:33:50.802198+00', 'POOL_SECRET', 'pool-secret', 'pool secret', 'createRole', 'ROLE', '01a24ec7-8ed2-7204-9c18-84c0f072b8e6', '[{"field":"namespace","before":null,"after":"default"},{"field":"code","before":null,"after":"reviewer"},{"field":"createdAt","before":null,"after":"2026-12-07T04:33:50.80213Z"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8ed3-7c59-9fc0-4f68795e38b0', '01a24ec7-8e4f-74ac-9d3f-afc2744ca468', '2026-12-07 04:33:50.802874+00', 'POOL_SECRET', 'pool-secret', 'pool secret', 'addGroupRoles', 'GROUP', '01a24ec7-8e98-7367-8547-ae6a8598a2cb', '[{"field":"roles","before":null,"after":"default/reviewer"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8ed5-7eb1-b61b-5fd8390b1fff', '01a24ec7-8e4f-74ac-9d3f-afc2744ca468', '2026-12-07 04:33:50.805158+00', 'POOL_SECRET', 'pool-secret', 'pool secret', 'createGroup', 'GROUP', '01a24ec7-8ed5-70e9-9f5b-a1112cc2e2f1', '[{"field":"code","before":null,"after":"frontend"},{"field":"parentId","before":null,"after":"01a24ec7-8e98-7367-8547-ae6a8598a2cb"},{"field":"createdAt","before":null,"after":"2026-12-07T04:33:50.805058Z"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8ed8-7408-8768-b5383f01841a', '01a24ec7-8e4f-74ac-9d3f-afc2744ca468', '2026-12-07 04:33:50.807373+00', 'POOL_SECRET', 'pool-secret', 'pool secret', 'addGroups', 'USER', '01a24ec7-8e81-7a84-b513-68d6152d400a', '[{"field":"groups","before":null,"after":"frontend"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8edb-7ec1-a59b-721a2fea13ee', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', '2026-12-07 04:33:50.811634+00', 'SYSTEM', 'system', 'system', '', 'USER_POOL', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', '[{"field":"name","before":null,"after":"second pool"},{"field":"createdAt","before":null,"after":"2026-12-07T04:33:50.811614Z"},{"field":"secret","before":null,"after":"[redacted]"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8ee3-7ecb-8e68-b78a4b48ee30', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', '2026-12-07 04:33:50.819539+00', 'SYSTEM', 'system', 'system', '', 'USER', '01a24ec7-8edc-7503-aed9-1a22cf5c753b', '[{"field":"username","before":null,"after":"elsewhere"},{"field":"nickname","before":null,"after":"Other"},{"field":"gender","before":null,"after":"U"},{"field":"userSourceType","before":null,"after":"adminCreated"},{"field":"status","before":null,"after":"Activated"},{"field":"passwordLastSetAt","before":null,"after":"2026-12-07T04:33:50.812309Z"},{"field":"createdAt","before":null,"after":"2026-12-07T04:33:50.812309Z"},{"field":"password","before":null,"after":"[redacted]"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8ee4-7e07-9d6a-18fecfcde8f0', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', '2026-12-07 04:33:50.820245+00', 'SYSTEM', 'system', 'system', '', 'USER', '01a24ec7-8edc-7503-aed9-1a22cf5c753b', '[{"field":"status","before":"Activated","after":"Archived"},{"field":"statusChangedAt","before":null,"after":"2026-12-07T04:33:50.820216Z"},{"field":"tokens","before":null,"after":"revoked"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8ee5-78dc-a894-76ace8d0a45e', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', '2026-12-07 04:33:50.821251+00', 'SYSTEM', 'system', 'system', '', 'API_KEY', '01a24ec7-8ee5-7348-80dd-1724d6b4c588', '[{"field":"name","before":null,"after":"revoked"},{"field":"scopes","before":null,"after":["users:read"]},{"field":"createdAt","before":null,"after":"2026-12-07T04:33:50.821214Z"},{"field":"key","before":null,"after":"[redacted]"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8ee6-7ac3-b8b3-09e5750300c4', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', '2026-12-07 04:33:50.822347+00', 'SYSTEM', 'system', 'system', '', 'API_KEY', '01a24ec7-8ee5-7348-80dd-1724d6b4c588', '[{"field":"revokedAt","before":null,"after":"2026-12-07T04:33:50.822702Z"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8ee7-7b22-b2b3-b733158d22ae', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', '2026-12-07 04:33:50.823378+00', 'SYSTEM', 'system', 'system', '', 'UDF', '01a24ec7-8ee7-7b11-9edd-557acb7ec975', '[{"field":"targetType","before":null,"after":"ROLE"},{"field":"key","before":null,"after":"level"},{"field":"dataType","before":null,"after":"NUMBER"},{"field":"createdAt","before":null,"after":"2026-12-07T04:33:50.823379Z"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8ee8-77ae-bba0-809acca1e6de', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', '2026-12-07 04:33:50.824292+00', 'SYSTEM', 'system', 'system', '', 'ROLE', '01a24ec7-8ee8-726a-8f89-92508e96c85c', '[{"field":"namespace","before":null,"after":"default"},{"field":"code","before":null,"after":"auditor"},{"field":"createdAt","before":null,"after":"2026-12-07T04:33:50.824157Z"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8eea-796f-abf6-f2c318d04253', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', '2026-12-07 04:33:50.824944+00', 'SYSTEM', 'system', 'system', '', 'ROLE', '01a24ec7-8ee8-726a-8f89-92508e96c85c', '[{"field":"customData.level","before":null,"after":3}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8eeb-7c5e-8536-be1f61d29150', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', '2026-12-07 04:33:50.82733+00', 'SYSTEM', 'system', 'system', '', 'USER', '01a24ec7-8eeb-70e8-b902-0139379bb810', '[{"field":"username","before":null,"after":"member00"},{"field":"email","before":null,"after":"member00@example.com"},{"field":"gender","before":null,"after":"U"},{"field":"userSourceType","before":null,"after":"adminCreated"},{"field":"status","before":null,"after":"Activated"},{"field":"createdAt","before":null,"after":"2026-12-07T04:33:50.827023Z"},{"field":"identities","before":null,"after":[{"identityId":"01a24ec7-8eeb-7c66-842a-16b2f28d55af","provider":"github","type":"oauth","userIdInIdp":"1000","extIdpId":null,"createdAt":"2026-12-07T04:33:50.827023Z"}]}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8eec-7b63-a8a5-0e4531905bad', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', '2026-12-07 04:33:50.82733+00', 'SYSTEM', 'system', 'system', '', 'USER', '01a24ec7-8eeb-710b-a4ef-caaaf804ec89', '[{"field":"username","before":null,"after":"member01"},{"field":"email","before":null,"after":"member01@example.com"},{"field":"gender","before":null,"after":"U"},{"field":"userSourceType","before":null,"after":"adminCreated"},{"field":"status","before":null,"after":"Activated"},{"field":"createdAt","before":null,"after":"2026-12-07T04:33:50.827023Z"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8eed-70df-bc44-5a57b57a6f66', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', '2026-12-07 04:33:50.82733+00', 'SYSTEM', 'system', 'system', '', 'USER', '01a24ec7-8eeb-7125-9afb-fb281d6a0e35', '[{"field":"username","before":null,"after":"member02"},{"field":"email","before":null,"after":"member02@example.com"},{"field":"gender","before":null,"after":"U"},{"field":"userSourceType","before":null,"after":"adminCreated"},{"field":"status","before":null,"after":"Activated"},{"field":"createdAt","before":null,"after":"2026-12-07T04:33:50.827023Z"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8eed-7508-9297-4f13de4681d7', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', '2026-12-07 04:33:50.82733+00', 'SYSTEM', 'system', 'system', '', 'USER', '01a24ec7-8eeb-713b-a17b-a82d48976d55', '[{"field":"username","before":null,"after":"member03"},{"field":"email","before":null,"after":"member03@example.com"},{"field":"gender","before":null,"after":"U"},{"field":"userSourceType","before":null,"after":"adminCreated"},{"field":"status","before":null,"after":"Activated"},{"field":"createdAt","before":null,"after":"2026-12-07T04:33:50.827023Z"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8eed-7913-b007-bfd11fc41300', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', '2026-12-07 04:33:50.82733+00', 'SYSTEM', 'system', 'system', '', 'USER', '01a24ec7-8eeb-7152-bc29-8e150e7e5b00', '[{"field":"username","before":null,"after":"member04"},{"field":"email","before":null,"after":"member04@example.com"},{"field":"gender","before":null,"after":"U"},{"field":"userSourceType","before":null,"after":"adminCreated"},{"field":"status","before":null,"after":"Activated"},{"field":"createdAt","before":null,"after":"2026-12-07T04:33:50.827023Z"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8eed-7d12-96c6-0dfddb812353', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', '2026-12-07 04:33:50.82733+00', 'SYSTEM', 'system', 'system', '', 'USER', '01a24ec7-8eeb-716c-9988-223f9a072102', '[{"field":"username","before":null,"after":"member05"},{"field":"email","before":null,"after":"member05@example.com"},{"field":"gender","before":null,"after":"U"},{"field":"userSourceType","before":null,"after":"adminCreated"},{"field":"status","before":null,"after":"Activated"},{"field":"createdAt","before":null,"after":"2026-12-07T04:33:50.827023Z"},{"field":"identities","before":null,"after":[{"identityId":"01a24ec7-8eed-7d26-8255-aa83a469c5d8","provider":"github","type":"oauth","userIdInIdp":"1005","extIdpId":null,"createdAt":"2026-12-07T04:33:50.827023Z"}]}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8eee-762e-b284-9113de31842e', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', '2026-12-07 04:33:50.82733+00', 'SYSTEM', 'system', 'system', '', 'USER', '01a24ec7-8eeb-7188-ae0a-74e8a1654f33', '[{"field":"username","before":null,"after":"member06"},{"field":"email","before":null,"after":"member06@example.com"},{"field":"gender","before":null,"after":"U"},{"field":"userSourceType","before":null,"after":"adminCreated"},{"field":"status","before":null,"after":"Activated"},{"field":"createdAt","before":null,"after":"2026-12-07T04:33:50.827023Z"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8eee-7a88-b91f-24fb6340c3e2', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', '2026-12-07 04:33:50.82733+00', 'SYSTEM', 'system', 'system', '', 'USER', '01a24ec7-8eeb-719d-bd1d-446d53c40d31', '[{"field":"username","before":null,"after":"member07"},{"field":"email","before":null,"after":"member07@example.com"},{"field":"gender","before":null,"after":"U"},{"field":"userSourceType","before":null,"after":"adminCreated"},{"field":"status","before":null,"after":"Activated"},{"field":"createdAt","before":null,"after":"2026-12-07T04:33:50.827023Z"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8eee-7f2a-a2d0-f1c6c50eb700', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', '2026-12-07 04:33:50.82733+00', 'SYSTEM', 'system', 'system', '', 'USER', '01a24ec7-8eeb-71be-b538-e424245c47d1', '[{"field":"username","before":null,"after":"member08"},{"field":"email","before":null,"after":"member08@example.com"},{"field":"gender","before":null,"after":"U"},{"field":"userSourceType","before":null,"after":"adminCreated"},{"field":"status","before":null,"after":"Activated"},{"field":"createdAt","before":null,"after":"2026-12-07T04:33:50.827023Z"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8eef-739c-8638-0302294e5925', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', '2026-12-07 04:33:50.82733+00', 'SYSTEM', 'system', 'system', '', 'USER', '01a24ec7-8eeb-71d1-9a69-18490edf0ae9', '[{"field":"username","before":null,"after":"member09"},{"field":"email","before":null,"after":"member09@example.com"},{"field":"gender","before":null,"after":"U"},{"field":"userSourceType","before":null,"after":"adminCreated"},{"field":"status","before":null,"after":"Activated"},{"field":"createdAt","before":null,"after":"2026-12-07T04:33:50.827023Z"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8eef-782e-a385-51f72301fe18', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', '2026-12-07 04:33:50.82733+00', 'SYSTEM', 'system', 'system', '', 'USER', '01a24ec7-8eeb-71ea-971c-80f3bd3ff637', '[{"field":"username","before":null,"after":"member10"},{"field":"email","before":null,"after":"member10@example.com"},{"field":"gender","before":null,"after":"U"},{"field":"userSourceType","before":null,"after":"adminCreated"},{"field":"status","before":null,"after":"Activated"},{"field":"createdAt","before":null,"after":"2026-12-07T04:33:50.827023Z"},{"field":"identities","before":null,"after":[{"identityId":"01a24ec7-8eef-7834-a1ae-b190466bc5bb","provider":"github","type":"oauth","userIdInIdp":"1010","extIdpId":null,"createdAt":"2026-12-07T04:33:50.827023Z"}]}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8eef-7f33-b8d6-a0a5233214ff', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', '2026-12-07 04:33:50.82733+00', 'SYSTEM', 'system', 'system', '', 'USER', '01a24ec7-8eeb-71fe-9235-e3e3c6077e52', '[{"field":"username","before":null,"after":"member11"},{"field":"email","before":null,"after":"member11@example.com"},{"field":"gender","before":null,"after":"U"},{"field":"userSourceType","before":null,"after":"adminCreated"},{"field":"status","before":null,"after":"Activated"},{"field":"createdAt","before":null,"after":"2026-12-07T04:33:50.827023Z"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8ef0-73c0-a122-e1df2df5d2a8', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', '2026-12-07 04:33:50.82733+00', 'SYSTEM', 'system', 'system', '', 'USER', '01a24ec7-8eeb-7210-b9ef-eaf3d57900e5', '[{"field":"username","before":null,"after":"member12"},{"field":"email","before":null,"after":"member12@example.com"},{"field":"gender","before":null,"after":"U"},{"field":"userSourceType","before":null,"after":"adminCreated"},{"field":"status","before":null,"after":"Activated"},{"field":"createdAt","before":null,"after":"2026-12-07T04:33:50.827023Z"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8ef0-76fa-9c7d-b49d9eb3c830', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', '2026-12-07 04:33:50.82733+00', 'SYSTEM', 'system', 'system', '', 'USER', '01a24ec7-8eeb-7223-81a9-7316b10ac641', '[{"field":"username","before":null,"after":"member13"},{"field":"email","before":null,"after":"member13@example.com"},{"field":"gender","before":null,"after":"U"},{"field":"userSourceType","before":null,"after":"adminCreated"},{"field":"status","before":null,"after":"Activated"},{"field":"createdAt","before":null,"after":"2026-12-07T04:33:50.827023Z"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8ef0-79e6-990f-a5d3f77b4810', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', '2026-12-07 04:33:50.82733+00', 'SYSTEM', 'system', 'system', '', 'USER', '01a24ec7-8eeb-7237-9d97-a8b9e881768d', '[{"field":"username","before":null,"after":"member14"},{"field":"email","before":null,"after":"member14@example.com"},{"field":"gender","before":null,"after":"U"},{"field":"userSourceType","before":null,"after":"adminCreated"},{"field":"status","before":null,"after":"Activated"},{"field":"createdAt","before":null,"after":"2026-12-07T04:33:50.827023Z"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8ef0-7d9a-a42e-1298a0918a70', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', '2026-12-07 04:33:50.82733+00', 'SYSTEM', 'system', 'system', '', 'USER', '01a24ec7-8eeb-7257-8b52-f6674e51feb2', '[{"field":"username","before":null,"after":"member15"},{"field":"email","before":null,"after":"member15@example.com"},{"field":"gender","before":null,"after":"U"},{"field":"userSourceType","before":null,"after":"adminCreated"},{"field":"status","before":null,"after":"Activated"},{"field":"createdAt","before":null,"after":"2026-12-07T04:33:50.827023Z"},{"field":"identities","before":null,"after":[{"identityId":"01a24ec7-8ef0-7da0-87fb-0b165718fa98","provider":"github","type":"oauth","userIdInIdp":"1015","extIdpId":null,"createdAt":"2026-12-07T04:33:50.827023Z"}]}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8ef1-741f-9ae2-9700c2c83187', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', '2026-12-07 04:33:50.82733+00', 'SYSTEM', 'system', 'system', '', 'USER', '01a24ec7-8eeb-726b-b005-fcd5741b8156', '[{"field":"username","before":null,"after":"member16"},{"field":"email","before":null,"after":"member16@example.com"},{"field":"gender","before":null,"after":"U"},{"field":"userSourceType","before":null,"after":"adminCreated"},{"field":"status","before":null,"after":"Activated"},{"field":"createdAt","before":null,"after":"2026-12-07T04:33:50.827023Z"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8ef1-779e-951a-73232befff40', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', '2026-12-07 04:33:50.82733+00', 'SYSTEM', 'system', 'system', '', 'USER', '01a24ec7-8eeb-727c-b386-9ee1874fbb76', '[{"field":"username","before":null,"after":"member17"},{"field":"email","before":null,"after":"member17@example.com"},{"field":"gender","before":null,"after":"U"},{"field":"userSourceType","before":null,"after":"adminCreated"},{"field":"status","before":null,"after":"Activated"},{"field":"createdAt","before":null,"after":"2026-12-07T04:33:50.827023Z"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8ef1-7a78-b3a4-1daa293f7fb9', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', '2026-12-07 04:33:50.82733+00', 'SYSTEM', 'system', 'system', '', 'USER', '01a24ec7-8eeb-729f-8179-518d23069abd', '[{"field":"username","before":null,"after":"member18"},{"field":"email","before":null,"after":"member18@example.com"},{"field":"gender","before":null,"after":"U"},{"field":"userSourceType","before":null,"after":"adminCreated"},{"field":"status","before":null,"after":"Activated"},{"field":"createdAt","before":null,"after":"2026-12-07T04:33:50.827023Z"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8ef2-7495-8acf-15a8c3abde7c', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', '2026-12-07 04:33:50.82733+00', 'SYSTEM', 'system', 'system', '', 'USER', '01a24ec7-8eeb-72b1-b79f-c8e96770a2b3', '[{"field":"username","before":null,"after":"member19"},{"field":"email","before":null,"after":"member19@example.com"},{"field":"gender","before":null,"after":"U"},{"field":"userSourceType","before":null,"after":"adminCreated"},{"field":"status","before":null,"after":"Activated"},{"field":"createdAt","before":null,"after":"2026-12-07T04:33:50.827023Z"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8ef2-79c5-a507-6823f1e2a0fd', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', '2026-12-07 04:33:50.82733+00', 'SYSTEM', 'system', 'system', '', 'USER', '01a24ec7-8eeb-72d7-a089-f75fa6c69d48', '[{"field":"username","before":null,"after":"member20"},{"field":"email","before":null,"after":"member20@example.com"},{"field":"gender","before":null,"after":"U"},{"field":"userSourceType","before":null,"after":"adminCreated"},{"field":"status","before":null,"after":"Activated"},{"field":"createdAt","before":null,"after":"2026-12-07T04:33:50.827023Z"},{"field":"identities","before":null,"after":[{"identityId":"01a24ec7-8ef2-79cc-b6c7-690064b5ccf3","provider":"github","type":"oauth","userIdInIdp":"1020","extIdpId":null,"createdAt":"2026-12-07T04:33:50.827023Z"}]}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8ef3-7144-b3a6-ad6103ab93f6', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', '2026-12-07 04:33:50.82733+00', 'SYSTEM', 'system', 'system', '', 'USER', '01a24ec7-8eeb-72ed-8197-5e55fc607679', '[{"field":"username","before":null,"after":"member21"},{"field":"email","before":null,"after":"member21@example.com"},{"field":"gender","before":null,"after":"U"},{"field":"userSourceType","before":null,"after":"adminCreated"},{"field":"status","before":null,"after":"Activated"},{"field":"createdAt","before":null,"after":"2026-12-07T04:33:50.827023Z"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8ef3-7507-8063-09ef9d54e89f', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', '2026-12-07 04:33:50.82733+00', 'SYSTEM', 'system', 'system', '', 'USER', '01a24ec7-8eeb-7308-aad2-d6b4bbf11003', '[{"field":"username","before":null,"after":"member22"},{"field":"email","before":null,"after":"member22@example.com"},{"field":"gender","before":null,"after":"U"},{"field":"userSourceType","before":null,"after":"adminCreated"},{"field":"status","before":null,"after":"Activated"},{"field":"createdAt","before":null,"after":"2026-12-07T04:33:50.827023Z"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8ef3-7a08-9561-9d2d09b2fb7f', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', '2026-12-07 04:33:50.82733+00', 'SYSTEM', 'system', 'system', '', 'USER', '01a24ec7-8eeb-731f-9bbb-77dfec1f7ea2', '[{"field":"username","before":null,"after":"member23"},{"field":"email","before":null,"after":"member23@example.com"},{"field":"gender","before":null,"after":"U"},{"field":"userSourceType","before":null,"after":"adminCreated"},{"field":"status","before":null,"after":"Activated"},{"field":"createdAt","before":null,"after":"2026-12-07T04:33:50.827023Z"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8ef3-7dfa-b872-3c8644ffa378', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', '2026-12-07 04:33:50.82733+00', 'SYSTEM', 'system', 'system', '', 'USER', '01a24ec7-8eeb-7331-a2e6-9a267586e5df', '[{"field":"username","before":null,"after":"member24"},{"field":"email","before":null,"after":"member24@example.com"},{"field":"gender","before":null,"after":"U"},{"field":"userSourceType","before":null,"after":"adminCreated"},{"field":"status","before":null,"after":"Activated"},{"field":"createdAt","before":null,"after":"2026-12-07T04:33:50.827023Z"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8ef4-7354-b6aa-1463e4647741', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', '2026-12-07 04:33:50.82733+00', 'SYSTEM', 'system', 'system', '', 'USER', '01a24ec7-8eeb-7346-8d6b-b1f57908c2f3', '[{"field":"username","before":null,"after":"member25"},{"field":"email","before":null,"after":"member25@example.com"},{"field":"gender","before":null,"after":"U"},{"field":"userSourceType","before":null,"after":"adminCreated"},{"field":"status","before":null,"after":"Activated"},{"field":"createdAt","before":null,"after":"2026-12-07T04:33:50.827023Z"},{"field":"identities","before":null,"after":[{"identityId":"01a24ec7-8ef4-735a-a880-5353f5b56695","provider":"github","type":"oauth","userIdInIdp":"1025","extIdpId":null,"createdAt":"2026-12-07T04:33:50.827023Z"}]}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8ef4-79f7-9c0a-5d665bd2d721', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', '2026-12-07 04:33:50.82733+00', 'SYSTEM', 'system', 'system', '', 'USER', '01a24ec7-8eeb-735a-bba3-3558f0554b13', '[{"field":"username","before":null,"after":"member26"},{"field":"email","before":null,"after":"member26@example.com"},{"field":"gender","before":null,"after":"U"},{"field":"userSourceType","before":null,"after":"adminCreated"},{"field":"status","before":null,"after":"Activated"},{"field":"createdAt","before":null,"after":"2026-12-07T04:33:50.827023Z"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8ef4-7de7-8135-a1ee7a114d9b', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', '2026-12-07 04:33:50.82733+00', 'SYSTEM', 'system', 'system', '', 'USER', '01a24ec7-8eeb-736b-b8b2-dc75377f46e3', '[{"field":"username","before":null,"after":"member27"},{"field":"email","before":null,"after":"member27@example.com"},{"field":"gender","before":null,"after":"U"},{"field":"userSourceType","before":null,"after":"adminCreated"},{"field":"status","before":null,"after":"Activated"},{"field":"createdAt","before":null,"after":"2026-12-07T04:33:50.827023Z"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8ef5-7288-9a0c-ad8bc717aabd', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', '2026-12-07 04:33:50.82733+00', 'SYSTEM', 'system', 'system', '', 'USER', '01a24ec7-8eeb-737c-9de2-dec6aeaf5e71', '[{"field":"username","before":null,"after":"member28"},{"field":"email","before":null,"after":"member28@example.com"},{"field":"gender","before":null,"after":"U"},{"field":"userSourceType","before":null,"after":"adminCreated"},{"field":"status","before":null,"after":"Activated"},{"field":"createdAt","before":null,"after":"2026-12-07T04:33:50.827023Z"}]');
INSERT INTO ugfixture.audit_records (id, pool_id, at, actor_type, actor_id, actor_name, operation, object_type, object_id, changes) VALUES ('01a24ec7-8ef5-7717-bd72-48bc5f87eb4d', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', '2026-12-07 04:33:50.82733+00', 'SYSTEM', 'system', 'system', '', 'USER', '01a24ec7-8eeb-7396-ab45-07a1207c0d43', '[{"field":"username","before":null,"after":"member29"},{"field":"email","before":null,"after":"member29@example.com"},{"field":"gender","before":null,"after":"U"},{"field":"userSourceType","before":null,"after":"adminCreated"},{"field":"status","before":null,"after":"Activated"},{"field":"createdAt","before":null,"after":"2026-12-07T04:33:50.827023Z"}]');


--
-- Data for Name: grants; Type: TABLE DATA; Schema: ugfixture; Owner: -
--

INSERT INTO ugfixture.grants (id, pool_id, resource_id, resource_code, resource_type, namespace, target_type, user_id, role_id, group_id, target_key, actions, created_at, updated_at) VALUES ('01a24ec7-8eb4-7877-b5e4-87d1b59ee9de', '01a24ec7-8e4f-74ac-9d3f-afc2744ca468', '01a24ec7-8eb1-76ef-923b-4e76fa9112b7', 'books:*', 'DATA', 'default', 'ROLE', NULL, '01a24ec7-8ea2-7bb0-a104-17c311de0fa8', NULL, 'ROLE:01a24ec7-8ea2-7bb0-a104-17c311de0fa8', '["books:read","books:write"]', '2026-12-07 04:33:50.770896+00', '2026-12-07 04:33:50.770896+00');


--
-- Data for Name: group_closures; Type: TABLE DATA; Schema: ugfixture; Owner: -
--

INSERT INTO ugfixture.group_closures (ancestor_id, descendant_id, pool_id, depth) VALUES ('01a24ec7-8e98-7367-8547-ae6a8598a2cb', '01a24ec7-8e98-7367-8547-ae6a8598a2cb', '01a24ec7-8e4f-74ac-9d3f-afc2744ca468', 0);
INSERT INTO ugfixture.group_closures (ancestor_id, descendant_id, pool_id, depth) VALUES ('01a24ec7-8ed5-70e9-9f5b-a1112cc2e2f1', '01a24ec7-8ed5-70e9-9f5b-a1112cc2e2f1', '01a24ec7-8e4f-74ac-9d3f-afc2744ca468', 0);
INSERT INTO ugfixture.group_closures (ancestor_id, descendant_id, pool_id, depth) VALUES ('01a24ec7-8e98-7367-8547-ae6a8598a2cb', '01a24ec7-8ed5-70e9-9f5b-a1112cc2e2f1', '01a24ec7-8e4f-74ac-9d3f-afc2744ca468', 1);


--
-- Data for Name: group_members; Type: TABLE DATA; Schema: ugfixture; Owner: -
--

INSERT INTO ugfixture.group_members (group_id, user_id, pool_id, created_at, user_status, user_hidden) VALUES ('01a24ec7-8e98-7367-8547-ae6a8598a2cb', '01a24ec7-8e81-7a84-b513-68d6152d400a', '01a24ec7-8e4f-74ac-9d3f-afc2744ca468', '2026-12-07 04:33:50.746816+00', 'Activated', false);
INSERT INTO ugfixture.group_members (group_id, user_id, pool_id, created_at, user_status, user_hidden) VALUES ('01a24ec7-8ed5-70e9-9f5b-a1112cc2e2f1', '01a24ec7-8e81-7a84-b513-68d6152d400a', '01a24ec7-8e4f-74ac-9d3f-afc2744ca468', '2026-12-07 04:33:50.80789+00', 'Activated', false);


--
-- Data for Name: group_roles; Type: TABLE DATA; Schema: ugfixture; Owner: -
--

INSERT INTO ugfixture.group_roles (group_id, role_id, pool_id, created_at) VALUES ('01a24ec7-8e98-7367-8547-ae6a8598a2cb', '01a24ec7-8ed2-7204-9c18-84c0f072b8e6', '01a24ec7-8e4f-74ac-9d3f-afc2744ca468', '2026-12-07 04:33:50.803288+00');


--
-- Data for Name: group_udf_values; Type: TABLE DATA; Schema: ugfixture; Owner: -
--

INSERT INTO ugfixture.group_udf_values (group_id, definition_id, pool_id, string_value, number_value, bool_value, time_value, object_value) VALUES ('01a24ec7-8e98-7367-8547-ae6a8598a2cb', '01a24ec7-8e9e-7783-9b8e-586b697f1809', '01a24ec7-8e4f-74ac-9d3f-afc2744ca468', 'CC-100', NULL, NULL, NULL, NULL);


--
-- Data for Name: groups; Type: TABLE DATA; Schema: ugfixture; Owner: -
--

INSERT INTO ugfixture.groups (id, pool_id, code, name, description, parent_id, created_at, updated_at) VALUES ('01a24ec7-8e98-7367-8547-ae6a8598a2cb', '01a24ec7-8e4f-74ac-9d3f-afc2744ca468', 'staff', 'Staff', NULL, NULL, '2026-12-07 04:33:50.744222+00', '2026-12-07 04:33:50.744222+00');
INSERT INTO ugfixture.groups (id, pool_id, code, name, description, parent_id, created_at, updated_at) VALUES ('01a24ec7-8ed5-70e9-9f5b-a1112cc2e2f1', '01a24ec7-8e4f-74ac-9d3f-afc2744ca468', 'frontend', NULL, NULL, '01a24ec7-8e98-7367-8547-ae6a8598a2cb', '2026-12-07 04:33:50.805058+00', '2026-12-07 04:33:50.805058+00');


--
-- Data for Name: identities; Type: TABLE DATA; Schema: ugfixture; Owner: -
--

INSERT INTO ugfixture.identities (id, pool_id, user_id, provider, type, user_id_in_idp, ext_idp_id, created_at) VALUES ('01a24ec7-8eeb-7c66-842a-16b2f28d55af', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', '01a24ec7-8eeb-70e8-b902-0139379bb810', 'github', 'oauth', '1000', NULL, '2026-12-07 04:33:50.827023+00');
INSERT INTO ugfixture.identities (id, pool_id, user_id, provider, type, user_id_in_idp, ext_idp_id, created_at) VALUES ('01a24ec7-8eed-7d26-8255-aa83a469c5d8', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', '01a24ec7-8eeb-716c-9988-223f9a072102', 'github', 'oauth', '1005', NULL, '2026-12-07 04:33:50.827023+00');
INSERT INTO ugfixture.identities (id, pool_id, user_id, provider, type, user_id_in_idp, ext_idp_id, created_at) VALUES ('01a24ec7-8eef-7834-a1ae-b190466bc5bb', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', '01a24ec7-8eeb-71ea-971c-80f3bd3ff637', 'github', 'oauth', '1010', NULL, '2026-12-07 04:33:50.827023+00');
INSERT INTO ugfixture.identities (id, pool_id, user_id, provider, type, user_id_in_idp, ext_idp_id, created_at) VALUES ('01a24ec7-8ef0-7da0-87fb-0b165718fa98', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', '01a24ec7-8eeb-7257-8b52-f6674e51feb2', 'github', 'oauth', '1015', NULL, '2026-12-07 04:33:50.827023+00');
INSERT INTO ugfixture.identities (id, pool_id, user_id, provider, type, user_id_in_idp, ext_idp_id, created_at) VALUES ('01a24ec7-8ef2-79cc-b6c7-690064b5ccf3', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', '01a24ec7-8eeb-72d7-a089-f75fa6c69d48', 'github', 'oauth', '1020', NULL, '2026-12-07 04:33:50.827023+00');
INSERT INTO ugfixture.identities (id, pool_id, user_id, provider, type, user_id_in_idp, ext_idp_id, created_at) VALUES ('01a24ec7-8ef4-735a-a880-5353f5b56695', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', '01a24ec7-8eeb-7346-8d6b-b1f57908c2f3', 'github', 'oauth', '1025', NULL, '2026-12-07 04:33:50.827023+00');


--
-- Data for Name: namespaces; Type: TABLE DATA; Schema: ugfixture; Owner: -
--

INSERT INTO ugfixture.namespaces (id, pool_id, code, name, description, created_at, updated_at) VALUES ('01a24ec7-8e4f-7c52-b15f-60223494107a', '01a24ec7-8e4f-74ac-9d3f-afc2744ca468', 'default', 'Default', NULL, '2026-12-07 04:33:50.671307+00', '2026-12-07 04:33:50.671307+00');
INSERT INTO ugfixture.namespaces (id, pool_id, code, name, description, created_at, updated_at) VALUES ('01a24ec7-8edb-7ec6-a78a-5966671afcfd', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', 'default', 'Default', NULL, '2026-12-07 04:33:50.811614+00', '2026-12-07 04:33:50.811614+00');


--
-- Data for Name: resources; Type: TABLE DATA; Schema: ugfixture; Owner: -
--

INSERT INTO ugfixture.resources (id, pool_id, namespace_id, namespace, code, type, description, actions, created_at, updated_at) VALUES ('01a24ec7-8eb1-76ef-923b-4e76fa9112b7', '01a24ec7-8e4f-74ac-9d3f-afc2744ca468', '01a24ec7-8e4f-7c52-b15f-60223494107a', 'default', 'books', 'DATA', NULL, '[{"name":"books:read","description":null},{"name":"books:write","description":null}]', '2026-12-07 04:33:50.769452+00', '2026-12-07 04:33:50.769452+00');


--
-- Data for Name: role_members; Type: TABLE DATA; Schema: ugfixture; Owner: -
--

INSERT INTO ugfixture.role_members (role_id, user_id, pool_id, created_at) VALUES ('01a24ec7-8ea2-7bb0-a104-17c311de0fa8', '01a24ec7-8e81-7a84-b513-68d6152d400a', '01a24ec7-8e4f-74ac-9d3f-afc2744ca468', '2026-12-07 04:33:50.757069+00');


--
-- Data for Name: role_udf_values; Type: TABLE DATA; Schema: ugfixture; Owner: -
--

INSERT INTO ugfixture.role_udf_values (role_id, definition_id, pool_id, string_value, number_value, bool_value, time_value, object_value) VALUES ('01a24ec7-8ee8-726a-8f89-92508e96c85c', '01a24ec7-8ee7-7b11-9edd-557acb7ec975', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', NULL, 3, NULL, NULL, NULL);


--
-- Data for Name: roles; Type: TABLE DATA; Schema: ugfixture; Owner: -
--

INSERT INTO ugfixture.roles (id, pool_id, namespace_id, namespace, code, description, created_at, updated_at) VALUES ('01a24ec7-8ea2-7bb0-a104-17c311de0fa8', '01a24ec7-8e4f-74ac-9d3f-afc2744ca468', '01a24ec7-8e4f-7c52-b15f-60223494107a', 'default', 'editor', 'Edits books', '2026-12-07 04:33:50.754764+00', '2026-12-07 04:33:50.754764+00');
INSERT INTO ugfixture.roles (id, pool_id, namespace_id, namespace, code, description, created_at, updated_at) VALUES ('01a24ec7-8ed2-7204-9c18-84c0f072b8e6', '01a24ec7-8e4f-74ac-9d3f-afc2744ca468', '01a24ec7-8e4f-7c52-b15f-60223494107a', 'default', 'reviewer', NULL, '2026-12-07 04:33:50.80213+00', '2026-12-07 04:33:50.80213+00');
INSERT INTO ugfixture.roles (id, pool_id, namespace_id, namespace, code, description, created_at, updated_at) VALUES ('01a24ec7-8ee8-726a-8f89-92508e96c85c', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', '01a24ec7-8edb-7ec6-a78a-5966671afcfd', 'default', 'auditor', NULL, '2026-12-07 04:33:50.824157+00', '2026-12-07 04:33:50.824157+00');


--
-- Data for Name: settings; Type: TABLE DATA; Schema: ugfixture; Owner: -
--

INSERT INTO ugfixture.settings (key, value) VALUES ('schema_version', '\x323032362d31312d33302e6d656d6265722d7374617465');
INSERT INTO ugfixture.settings (key, value) VALUES ('jwt_signing_key', '\xe7e962e104578c1f4b11cc9c794ca9579afa0634a69183089da61cbaf2759284');
INSERT INTO ugfixture.settings (key, value) VALUES ('authing_rsa_key', '\x308204bd020100300d06092a864886f70d0101010500048204a7308204a30201000282010100c5ea8b84f6a24ef78d3afee98819006ade91a0655b00755479896295db6231eb99daffe466010dff1a0f368eeb6ea20a7778ce0ece20033e73b289e578bdf7c463a8720db4a79cee19ebf7eb0c7082306333734cf048214c686affa7ee8331b43015bbf39764c594ebb85a64240a5b115bf7ceae956a0c4229ac0f8dd2aa5d67f518ab843160f36093facea38b9c31cd91b7778b1fa48d4021440356745f54d765bfc89aff8f0d67355eefc0876f847089096b054b7cee4aadd108a9a9ad57ce9ae48e2522d642bd26f2b7676bac2192599e170766944a72286a8607f262d089f5c4d58c148a46edd6b406f81a14a6d85ed30a58783377bea0ccd9826dcca669020301000102820100021aa8009221b01ebc22e62e63eac6211cbc261d25be47c10de8bac2569a80e6dd1421b7d328cc360bd8210f9c6ba8efdd0cccfe05cd7bd358660bc6c3859b827c3fc074aa58c4d7983174c98c308f05c62c381bd78b20c57fefb1479f06c88abe9f20882ab220d2a03dedc2164b00e45a9ab419119016d0c64224c93075ecb7c72b4c5b05b0a2a5087c1fc2695fa0f99ace7da4ac0cd85e930e1a4326f860fabba7fecfd1b2b19c4b02e1425f51a0f088e436cb76cf1fdc8781a99069b74f96ab1185828bb958b167383afed3054966d744437b29c9ef76f2d4452657d7ba3200e38239a25df825b4fa3fddcc060e4d973378bd4f25c51e36c81e2fc238622102818100cfa586cf75e414ef55abecf8dc5268ef7f7a7ca38039917aabe36c0b02fc764c89ccf4ef8f577f484f92538c89ee5af54a2a19d4d09d6452a3a4d44e96dc658e86a0df436019fc549a4b986761c4b5802468d8278522838ec8f28f033df303a8023f068e53f558196af33c60d66a93e0cc5706c49222ef148a23113255f5261102818100f400f55feef5e71b4fb3ec9599df034b17705871fa2a124e2aa2559dd7e290f9c52d2aa1f9428e66aefd7831f0d4031e2aaa2810916fdf566c631b9e7be870ed138d3aefa2fe41e85a155c27ce575482649119f9c6c52e15827a15d70e3ebc5b13c2641c7d65ce5715b37018ba7cab6482c11c5e05732e316d872a2f0f3f42d902818033cb2afc3680c4c40a0f8f5567c75a8b5ab5d7bf04add75eccdf3644ece2c23347300b6c71c9b662f80e1caef27cb4cd78495616224f100618f1754f810bca7d299198fefa4aa1090d4f8bdd45a2c64f0745eb9cb7f5aaf103a895098efb3dcf3b78330f6f5bc434dadb7f14fc86ab0a288e108f199083281168bbd25d647fb1028180275f4c38c9a7563e5af30e76e9584a00c0ec78e91353dc964e5cd971d9d70e4baf5c6567b37fe0d882de159a0161448b8698e4542013ac3716d03b31ac8eca4207089ffcf11113f3792dbf2c112898535e04e7eb1cfece3bdc4cf4df39c637c07e84bc80b85f481757421811756e0e7dee7758ab7737a9b98211f0659d9138a902818100ce6e6dc2504bc2bc59ea7754719acf95852c47d1c3b708063d7e41b0dec0e46738453607039b64ee8a3b1a2a9a8cbcd9f9b8a3ac785a18aaf84c68f0411f6e9e65f037136b7ab08a95f7423b26b5082b773f1ac0fa88d39e7e318a7a1f8af5723e489bdc37a5f984bea155d45dfc106fd5ab0e9ff7ef399484b191b14ec48fb0');


--
-- Data for Name: udf_definitions; Type: TABLE DATA; Schema: ugfixture; Owner: -
--

INSERT INTO ugfixture.udf_definitions (id, pool_id, target_type, key, data_type, label, description, created_at, updated_at) VALUES ('01a24ec7-8e80-75ba-8ae2-f2f1985f5ae8', '01a24ec7-8e4f-74ac-9d3f-afc2744ca468', 'USER', 'age', 'NUMBER', 'Age', NULL, '2026-12-07 04:33:50.719404+00', '2026-12-07 04:33:50.719404+00');
INSERT INTO ugfixture.udf_definitions (id, pool_id, target_type, key, data_type, label, description, created_at, updated_at) VALUES ('01a24ec7-8e9e-7783-9b8e-586b697f1809', '01a24ec7-8e4f-74ac-9d3f-afc2744ca468', 'GROUP', 'costCenter', 'STRING', 'Cost center', NULL, '2026-12-07 04:33:50.749992+00', '2026-12-07 04:33:50.749992+00');
INSERT INTO ugfixture.udf_definitions (id, pool_id, target_type, key, data_type, label, description, created_at, updated_at) VALUES ('01a24ec7-8ee7-7b11-9edd-557acb7ec975', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', 'ROLE', 'level', 'NUMBER', NULL, NULL, '2026-12-07 04:33:50.823379+00', '2026-12-07 04:33:50.823379+00');


--
-- Data for Name: user_pools; Type: TABLE DATA; Schema: ugfixture; Owner: -
--

INSERT INTO ugfixture.user_pools (id, name, secret_hash, is_default, secret_generation, created_at) VALUES ('01a24ec7-8e4f-74ac-9d3f-afc2744ca468', 'default', '\xe15538218e326dee8bcdb6da17342107721a9570ef532a56e1e0bb44bdc58cf0', true, 0, '2026-12-07 04:33:50.671307+00');
INSERT INTO ugfixture.user_pools (id, name, secret_hash, is_default, secret_generation, created_at) VALUES ('01a24ec7-8edb-795e-b296-0f8987dc5c3c', 'second pool', '\x3cd6f3d486f5cd733f47514dfafea5782e23c80d537720bb4d0d23c03be9af7f', false, 0, '2026-12-07 04:33:50.811614+00');


--
-- Data for Name: user_udf_values; Type: TABLE DATA; Schema: ugfixture; Owner: -
--

INSERT INTO ugfixture.user_udf_values (user_id, definition_id, pool_id, string_value, number_value, bool_value, time_value, object_value) VALUES ('01a24ec7-8e81-7a84-b513-68d6152d400a', '01a24ec7-8e80-75ba-8ae2-f2f1985f5ae8', '01a24ec7-8e4f-74ac-9d3f-afc2744ca468', NULL, 37, NULL, NULL, NULL);


--
-- Data for Name: users; Type: TABLE DATA; Schema: ugfixture; Owner: -
--

INSERT INTO ugfixture.users (id, pool_id, username, email, email_verified, phone, phone_country_code, phone_verified, external_id, unionid, openid, name, nickname, given_name, family_name, middle_name, preferred_username, profile, photo, website, gender, birthdate, zoneinfo, locale, address, formatted, street_address, locality, region, postal_code, city, province, country, company, identity_number, browser, device, register_source, user_source_type, logins_count, last_login, last_ip, signed_up, status, status_changed_at, hidden, token_expired_at, token_generation, password_hash, password_last_set_at, reset_password_on_next_login, created_at, updated_at) VALUES ('01a24ec7-8e96-7403-9b75-c69b378bd5b7', '01a24ec7-8e4f-74ac-9d3f-afc2744ca468', 'bob', 'bob@example.com', false, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'U', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'adminCreated', 0, NULL, NULL, NULL, 'Activated', NULL, false, NULL, 0, '', NULL, false, '2026-12-07 04:33:50.742245+00', '2026-12-07 04:33:50.742245+00');
INSERT INTO ugfixture.users (id, pool_id, username, email, email_verified, phone, phone_country_code, phone_verified, external_id, unionid, openid, name, nickname, given_name, family_name, middle_name, preferred_username, profile, photo, website, gender, birthdate, zoneinfo, locale, address, formatted, street_address, locality, region, postal_code, city, province, country, company, identity_number, browser, device, register_source, user_source_type, logins_count, last_login, last_ip, signed_up, status, status_changed_at, hidden, token_expired_at, token_generation, password_hash, password_last_set_at, reset_password_on_next_login, created_at, updated_at) VALUES ('01a24ec7-8e96-7463-aced-d694521ae19d', '01a24ec7-8e4f-74ac-9d3f-afc2744ca468', 'dave', NULL, false, '+15550100', NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'U', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'adminCreated', 0, NULL, NULL, NULL, 'Activated', NULL, false, NULL, 0, '', NULL, false, '2026-12-07 04:33:50.742245+00', '2026-12-07 04:33:50.742245+00');
INSERT INTO ugfixture.users (id, pool_id, username, email, email_verified, phone, phone_country_code, phone_verified, external_id, unionid, openid, name, nickname, given_name, family_name, middle_name, preferred_username, profile, photo, website, gender, birthdate, zoneinfo, locale, address, formatted, street_address, locality, region, postal_code, city, province, country, company, identity_number, browser, device, register_source, user_source_type, logins_count, last_login, last_ip, signed_up, status, status_changed_at, hidden, token_expired_at, token_generation, password_hash, password_last_set_at, reset_password_on_next_login, created_at, updated_at) VALUES ('01a24ec7-8e81-7a84-b513-68d6152d400a', '01a24ec7-8e4f-74ac-9d3f-afc2744ca468', 'alice', 'alice@example.com', true, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'U', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'Analytical Engines', NULL, NULL, NULL, NULL, 'adminCreated', 0, NULL, NULL, NULL, 'Activated', '2026-12-07 04:33:50.800701+00', false, NULL, 1, '$argon2id$v=19$m=7168,t=5,p=1$EzRpCzSzEtwsrvygoux0mA$K8fpT0fWavF7n+jnf/b4Au6t+2K24BGBUBUdLve+ib0', '2026-12-07 04:33:50.721554+00', false, '2026-12-07 04:33:50.721554+00', '2026-12-07 04:33:50.801106+00');
INSERT INTO ugfixture.users (id, pool_id, username, email, email_verified, phone, phone_country_code, phone_verified, external_id, unionid, openid, name, nickname, given_name, family_name, middle_name, preferred_username, profile, photo, website, gender, birthdate, zoneinfo, locale, address, formatted, street_address, locality, region, postal_code, city, province, country, company, identity_number, browser, device, register_source, user_source_type, logins_count, last_login, last_ip, signed_up, status, status_changed_at, hidden, token_expired_at, token_generation, password_hash, password_last_set_at, reset_password_on_next_login, created_at, updated_at) VALUES ('01a24ec7-8edc-7503-aed9-1a22cf5c753b', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', 'elsewhere', NULL, false, NULL, NULL, false, NULL, NULL, NULL, NULL, 'Other', NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'U', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'adminCreated', 0, NULL, NULL, NULL, 'Archived', '2026-12-07 04:33:50.820216+00', false, NULL, 1, '$argon2id$v=19$m=7168,t=5,p=1$8xw4OgqKAcbalWgcydcGkA$191SyMmCrS/QXoa3zVs1g0VNCDAB6BpyIlHcDkH8rG8', '2026-12-07 04:33:50.812309+00', false, '2026-12-07 04:33:50.812309+00', '2026-12-07 04:33:50.820561+00');
INSERT INTO ugfixture.users (id, pool_id, username, email, email_verified, phone, phone_country_code, phone_verified, external_id, unionid, openid, name, nickname, given_name, family_name, middle_name, preferred_username, profile, photo, website, gender, birthdate, zoneinfo, locale, address, formatted, street_address, locality, region, postal_code, city, province, country, company, identity_number, browser, device, register_source, user_source_type, logins_count, last_login, last_ip, signed_up, status, status_changed_at, hidden, token_expired_at, token_generation, password_hash, password_last_set_at, reset_password_on_next_login, created_at, updated_at) VALUES ('01a24ec7-8eeb-70e8-b902-0139379bb810', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', 'member00', 'member00@example.com', false, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'U', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'adminCreated', 0, NULL, NULL, NULL, 'Activated', NULL, false, NULL, 0, '', NULL, false, '2026-12-07 04:33:50.827023+00', '2026-12-07 04:33:50.827023+00');
INSERT INTO ugfixture.users (id, pool_id, username, email, email_verified, phone, phone_country_code, phone_verified, external_id, unionid, openid, name, nickname, given_name, family_name, middle_name, preferred_username, profile, photo, website, gender, birthdate, zoneinfo, locale, address, formatted, street_address, locality, region, postal_code, city, province, country, company, identity_number, browser, device, register_source, user_source_type, logins_count, last_login, last_ip, signed_up, status, status_changed_at, hidden, token_expired_at, token_generation, password_hash, password_last_set_at, reset_password_on_next_login, created_at, updated_at) VALUES ('01a24ec7-8eeb-710b-a4ef-caaaf804ec89', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', 'member01', 'member01@example.com', false, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'U', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'adminCreated', 0, NULL, NULL, NULL, 'Activated', NULL, false, NULL, 0, '', NULL, false, '2026-12-07 04:33:50.827023+00', '2026-12-07 04:33:50.827023+00');
INSERT INTO ugfixture.users (id, pool_id, username, email, email_verified, phone, phone_country_code, phone_verified, external_id, unionid, openid, name, nickname, given_name, family_name, middle_name, preferred_username, profile, photo, website, gender, birthdate, zoneinfo, locale, address, formatted, street_address, locality, region, postal_code, city, province, country, company, identity_number, browser, device, register_source, user_source_type, logins_count, last_login, last_ip, signed_up, status, status_changed_at, hidden, token_expired_at, token_generation, password_hash, password_last_set_at, reset_password_on_next_login, created_at, updated_at) VALUES ('01a24ec7-8eeb-7125-9afb-fb281d6a0e35', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', 'member02', 'member02@example.com', false, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'U', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'adminCreated', 0, NULL, NULL, NULL, 'Activated', NULL, false, NULL, 0, '', NULL, false, '2026-12-07 04:33:50.827023+00', '2026-12-07 04:33:50.827023+00');
INSERT INTO ugfixture.users (id, pool_id, username, email, email_verified, phone, phone_country_code, phone_verified, external_id, unionid, openid, name, nickname, given_name, family_name, middle_name, preferred_username, profile, photo, website, gender, birthdate, zoneinfo, locale, address, formatted, street_address, locality, region, postal_code, city, province, country, company, identity_number, browser, device, register_source, user_source_type, logins_count, last_login, last_ip, signed_up, status, status_changed_at, hidden, token_expired_at, token_generation, password_hash, password_last_set_at, reset_password_on_next_login, created_at, updated_at) VALUES ('01a24ec7-8eeb-713b-a17b-a82d48976d55', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', 'member03', 'member03@example.com', false, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'U', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'adminCreated', 0, NULL, NULL, NULL, 'Activated', NULL, false, NULL, 0, '', NULL, false, '2026-12-07 04:33:50.827023+00', '2026-12-07 04:33:50.827023+00');
INSERT INTO ugfixture.users (id, pool_id, username, email, email_verified, phone, phone_country_code, phone_verified, external_id, unionid, openid, name, nickname, given_name, family_name, middle_name, preferred_username, profile, photo, website, gender, birthdate, zoneinfo, locale, address, formatted, street_address, locality, region, postal_code, city, province, country, company, identity_number, browser, device, register_source, user_source_type, logins_count, last_login, last_ip, signed_up, status, status_changed_at, hidden, token_expired_at, token_generation, password_hash, password_last_set_at, reset_password_on_next_login, created_at, updated_at) VALUES ('01a24ec7-8eeb-7152-bc29-8e150e7e5b00', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', 'member04', 'member04@example.com', false, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'U', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'adminCreated', 0, NULL, NULL, NULL, 'Activated', NULL, false, NULL, 0, '', NULL, false, '2026-12-07 04:33:50.827023+00', '2026-12-07 04:33:50.827023+00');
INSERT INTO ugfixture.users (id, pool_id, username, email, email_verified, phone, phone_country_code, phone_verified, external_id, unionid, openid, name, nickname, given_name, family_name, middle_name, preferred_username, profile, photo, website, gender, birthdate, zoneinfo, locale, address, formatted, street_address, locality, region, postal_code, city, province, country, company, identity_number, browser, device, register_source, user_source_type, logins_count, last_login, last_ip, signed_up, status, status_changed_at, hidden, token_expired_at, token_generation, password_hash, password_last_set_at, reset_password_on_next_login, created_at, updated_at) VALUES ('01a24ec7-8eeb-716c-9988-223f9a072102', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', 'member05', 'member05@example.com', false, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'U', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'adminCreated', 0, NULL, NULL, NULL, 'Activated', NULL, false, NULL, 0, '', NULL, false, '2026-12-07 04:33:50.827023+00', '2026-12-07 04:33:50.827023+00');
INSERT INTO ugfixture.users (id, pool_id, username, email, email_verified, phone, phone_country_code, phone_verified, external_id, unionid, openid, name, nickname, given_name, family_name, middle_name, preferred_username, profile, photo, website, gender, birthdate, zoneinfo, locale, address, formatted, street_address, locality, region, postal_code, city, province, country, company, identity_number, browser, device, register_source, user_source_type, logins_count, last_login, last_ip, signed_up, status, status_changed_at, hidden, token_expired_at, token_generation, password_hash, password_last_set_at, reset_password_on_next_login, created_at, updated_at) VALUES ('01a24ec7-8eeb-7188-ae0a-74e8a1654f33', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', 'member06', 'member06@example.com', false, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'U', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'adminCreated', 0, NULL, NULL, NULL, 'Activated', NULL, false, NULL, 0, '', NULL, false, '2026-12-07 04:33:50.827023+00', '2026-12-07 04:33:50.827023+00');
INSERT INTO ugfixture.users (id, pool_id, username, email, email_verified, phone, phone_country_code, phone_verified, external_id, unionid, openid, name, nickname, given_name, family_name, middle_name, preferred_username, profile, photo, website, gender, birthdate, zoneinfo, locale, address, formatted, street_address, locality, region, postal_code, city, province, country, company, identity_number, browser, device, register_source, user_source_type, logins_count, last_login, last_ip, signed_up, status, status_changed_at, hidden, token_expired_at, token_generation, password_hash, password_last_set_at, reset_password_on_next_login, created_at, updated_at) VALUES ('01a24ec7-8eeb-719d-bd1d-446d53c40d31', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', 'member07', 'member07@example.com', false, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'U', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'adminCreated', 0, NULL, NULL, NULL, 'Activated', NULL, false, NULL, 0, '', NULL, false, '2026-12-07 04:33:50.827023+00', '2026-12-07 04:33:50.827023+00');
INSERT INTO ugfixture.users (id, pool_id, username, email, email_verified, phone, phone_country_code, phone_verified, external_id, unionid, openid, name, nickname, given_name, family_name, middle_name, preferred_username, profile, photo, website, gender, birthdate, zoneinfo, locale, address, formatted, street_address, locality, region, postal_code, city, province, country, company, identity_number, browser, device, register_source, user_source_type, logins_count, last_login, last_ip, signed_up, status, status_changed_at, hidden, token_expired_at, token_generation, password_hash, password_last_set_at, reset_password_on_next_login, created_at, updated_at) VALUES ('01a24ec7-8eeb-71be-b538-e424245c47d1', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', 'member08', 'member08@example.com', false, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'U', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'adminCreated', 0, NULL, NULL, NULL, 'Activated', NULL, false, NULL, 0, '', NULL, false, '2026-12-07 04:33:50.827023+00', '2026-12-07 04:33:50.827023+00');
INSERT INTO ugfixture.users (id, pool_id, username, email, email_verified, phone, phone_country_code, phone_verified, external_id, unionid, openid, name, nickname, given_name, family_name, middle_name, preferred_username, profile, photo, website, gender, birthdate, zoneinfo, locale, address, formatted, street_address, locality, region, postal_code, city, province, country, company, identity_number, browser, device, register_source, user_source_type, logins_count, last_login, last_ip, signed_up, status, status_changed_at, hidden, token_expired_at, token_generation, password_hash, password_last_set_at, reset_password_on_next_login, created_at, updated_at) VALUES ('01a24ec7-8eeb-71d1-9a69-18490edf0ae9', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', 'member09', 'member09@example.com', false, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'U', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'adminCreated', 0, NULL, NULL, NULL, 'Activated', NULL, false, NULL, 0, '', NULL, false, '2026-12-07 04:33:50.827023+00', '2026-12-07 04:33:50.827023+00');
INSERT INTO ugfixture.users (id, pool_id, username, email, email_verified, phone, phone_country_code, phone_verified, external_id, unionid, openid, name, nickname, given_name, family_name, middle_name, preferred_username, profile, photo, website, gender, birthdate, zoneinfo, locale, address, formatted, street_address, locality, region, postal_code, city, province, country, company, identity_number, browser, device, register_source, user_source_type, logins_count, last_login, last_ip, signed_up, status, status_changed_at, hidden, token_expired_at, token_generation, password_hash, password_last_set_at, reset_password_on_next_login, created_at, updated_at) VALUES ('01a24ec7-8eeb-71ea-971c-80f3bd3ff637', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', 'member10', 'member10@example.com', false, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'U', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'adminCreated', 0, NULL, NULL, NULL, 'Activated', NULL, false, NULL, 0, '', NULL, false, '2026-12-07 04:33:50.827023+00', '2026-12-07 04:33:50.827023+00');
INSERT INTO ugfixture.users (id, pool_id, username, email, email_verified, phone, phone_country_code, phone_verified, external_id, unionid, openid, name, nickname, given_name, family_name, middle_name, preferred_username, profile, photo, website, gender, birthdate, zoneinfo, locale, address, formatted, street_address, locality, region, postal_code, city, province, country, company, identity_number, browser, device, register_source, user_source_type, logins_count, last_login, last_ip, signed_up, status, status_changed_at, hidden, token_expired_at, token_generation, password_hash, password_last_set_at, reset_password_on_next_login, created_at, updated_at) VALUES ('01a24ec7-8eeb-71fe-9235-e3e3c6077e52', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', 'member11', 'member11@example.com', false, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'U', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'adminCreated', 0, NULL, NULL, NULL, 'Activated', NULL, false, NULL, 0, '', NULL, false, '2026-12-07 04:33:50.827023+00', '2026-12-07 04:33:50.827023+00');
INSERT INTO ugfixture.users (id, pool_id, username, email, email_verified, phone, phone_country_code, phone_verified, external_id, unionid, openid, name, nickname, given_name, family_name, middle_name, preferred_username, profile, photo, website, gender, birthdate, zoneinfo, locale, address, formatted, street_address, locality, region, postal_code, city, province, country, company, identity_number, browser, device, register_source, user_source_type, logins_count, last_login, last_ip, signed_up, status, status_changed_at, hidden, token_expired_at, token_generation, password_hash, password_last_set_at, reset_password_on_next_login, created_at, updated_at) VALUES ('01a24ec7-8eeb-7210-b9ef-eaf3d57900e5', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', 'member12', 'member12@example.com', false, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'U', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'adminCreated', 0, NULL, NULL, NULL, 'Activated', NULL, false, NULL, 0, '', NULL, false, '2026-12-07 04:33:50.827023+00', '2026-12-07 04:33:50.827023+00');
INSERT INTO ugfixture.users (id, pool_id, username, email, email_verified, phone, phone_country_code, phone_verified, external_id, unionid, openid, name, nickname, given_name, family_name, middle_name, preferred_username, profile, photo, website, gender, birthdate, zoneinfo, locale, address, formatted, street_address, locality, region, postal_code, city, province, country, company, identity_number, browser, device, register_source, user_source_type, logins_count, last_login, last_ip, signed_up, status, status_changed_at, hidden, token_expired_at, token_generation, password_hash, password_last_set_at, reset_password_on_next_login, created_at, updated_at) VALUES ('01a24ec7-8eeb-7223-81a9-7316b10ac641', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', 'member13', 'member13@example.com', false, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'U', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'adminCreated', 0, NULL, NULL, NULL, 'Activated', NULL, false, NULL, 0, '', NULL, false, '2026-12-07 04:33:50.827023+00', '2026-12-07 04:33:50.827023+00');
INSERT INTO ugfixture.users (id, pool_id, username, email, email_verified, phone, phone_country_code, phone_verified, external_id, unionid, openid, name, nickname, given_name, family_name, middle_name, preferred_username, profile, photo, website, gender, birthdate, zoneinfo, locale, address, formatted, street_address, locality, region, postal_code, city, province, country, company, identity_number, browser, device, register_source, user_source_type, logins_count, last_login, last_ip, signed_up, status, status_changed_at, hidden, token_expired_at, token_generation, password_hash, password_last_set_at, reset_password_on_next_login, created_at, updated_at) VALUES ('01a24ec7-8eeb-7237-9d97-a8b9e881768d', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', 'member14', 'member14@example.com', false, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'U', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'adminCreated', 0, NULL, NULL, NULL, 'Activated', NULL, false, NULL, 0, '', NULL, false, '2026-12-07 04:33:50.827023+00', '2026-12-07 04:33:50.827023+00');
INSERT INTO ugfixture.users (id, pool_id, username, email, email_verified, phone, phone_country_code, phone_verified, external_id, unionid, openid, name, nickname, given_name, family_name, middle_name, preferred_username, profile, photo, website, gender, birthdate, zoneinfo, locale, address, formatted, street_address, locality, region, postal_code, city, province, country, company, identity_number, browser, device, register_source, user_source_type, logins_count, last_login, last_ip, signed_up, status, status_changed_at, hidden, token_expired_at, token_generation, password_hash, password_last_set_at, reset_password_on_next_login, created_at, updated_at) VALUES ('01a24ec7-8eeb-7257-8b52-f6674e51feb2', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', 'member15', 'member15@example.com', false, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'U', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'adminCreated', 0, NULL, NULL, NULL, 'Activated', NULL, false, NULL, 0, '', NULL, false, '2026-12-07 04:33:50.827023+00', '2026-12-07 04:33:50.827023+00');
INSERT INTO ugfixture.users (id, pool_id, username, email, email_verified, phone, phone_country_code, phone_verified, external_id, unionid, openid, name, nickname, given_name, family_name, middle_name, preferred_username, profile, photo, website, gender, birthdate, zoneinfo, locale, address, formatted, street_address, locality, region, postal_code, city, province, country, company, identity_number, browser, device, register_source, user_source_type, logins_count, last_login, last_ip, signed_up, status, status_changed_at, hidden, token_expired_at, token_generation, password_hash, password_last_set_at, reset_password_on_next_login, created_at, updated_at) VALUES ('01a24ec7-8eeb-726b-b005-fcd5741b8156', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', 'member16', 'member16@example.com', false, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'U', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'adminCreated', 0, NULL, NULL, NULL, 'Activated', NULL, false, NULL, 0, '', NULL, false, '2026-12-07 04:33:50.827023+00', '2026-12-07 04:33:50.827023+00');
INSERT INTO ugfixture.users (id, pool_id, username, email, email_verified, phone, phone_country_code, phone_verified, external_id, unionid, openid, name, nickname, given_name, family_name, middle_name, preferred_username, profile, photo, website, gender, birthdate, zoneinfo, locale, address, formatted, street_address, locality, region, postal_code, city, province, country, company, identity_number, browser, device, register_source, user_source_type, logins_count, last_login, last_ip, signed_up, status, status_changed_at, hidden, token_expired_at, token_generation, password_hash, password_last_set_at, reset_password_on_next_login, created_at, updated_at) VALUES ('01a24ec7-8eeb-727c-b386-9ee1874fbb76', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', 'member17', 'member17@example.com', false, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'U', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'adminCreated', 0, NULL, NULL, NULL, 'Activated', NULL, false, NULL, 0, '', NULL, false, '2026-12-07 04:33:50.827023+00', '2026-12-07 04:33:50.827023+00');
INSERT INTO ugfixture.users (id, pool_id, username, email, email_verified, phone, phone_country_code, phone_verified, external_id, unionid, openid, name, nickname, given_name, family_name, middle_name, preferred_username, profile, photo, website, gender, birthdate, zoneinfo, locale, address, formatted, street_address, locality, region, postal_code, city, province, country, company, identity_number, browser, device, register_source, user_source_type, logins_count, last_login, last_ip, signed_up, status, status_changed_at, hidden, token_expired_at, token_generation, password_hash, password_last_set_at, reset_password_on_next_login, created_at, updated_at) VALUES ('01a24ec7-8eeb-729f-8179-518d23069abd', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', 'member18', 'member18@example.com', false, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'U', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'adminCreated', 0, NULL, NULL, NULL, 'Activated', NULL, false, NULL, 0, '', NULL, false, '2026-12-07 04:33:50.827023+00', '2026-12-07 04:33:50.827023+00');
INSERT INTO ugfixture.users (id, pool_id, username, email, email_verified, phone, phone_country_code, phone_verified, external_id, unionid, openid, name, nickname, given_name, family_name, middle_name, preferred_username, profile, photo, website, gender, birthdate, zoneinfo, locale, address, formatted, street_address, locality, region, postal_code, city, province, country, company, identity_number, browser, device, register_source, user_source_type, logins_count, last_login, last_ip, signed_up, status, status_changed_at, hidden, token_expired_at, token_generation, password_hash, password_last_set_at, reset_password_on_next_login, created_at, updated_at) VALUES ('01a24ec7-8eeb-72b1-b79f-c8e96770a2b3', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', 'member19', 'member19@example.com', false, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'U', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'adminCreated', 0, NULL, NULL, NULL, 'Activated', NULL, false, NULL, 0, '', NULL, false, '2026-12-07 04:33:50.827023+00', '2026-12-07 04:33:50.827023+00');
INSERT INTO ugfixture.users (id, pool_id, username, email, email_verified, phone, phone_country_code, phone_verified, external_id, unionid, openid, name, nickname, given_name, family_name, middle_name, preferred_username, profile, photo, website, gender, birthdate, zoneinfo, locale, address, formatted, street_address, locality, region, postal_code, city, province, country, company, identity_number, browser, device, register_source, user_source_type, logins_count, last_login, last_ip, signed_up, status, status_changed_at, hidden, token_expired_at, token_generation, password_hash, password_last_set_at, reset_password_on_next_login, created_at, updated_at) VALUES ('01a24ec7-8eeb-72d7-a089-f75fa6c69d48', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', 'member20', 'member20@example.com', false, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'U', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'adminCreated', 0, NULL, NULL, NULL, 'Activated', NULL, false, NULL, 0, '', NULL, false, '2026-12-07 04:33:50.827023+00', '2026-12-07 04:33:50.827023+00');
INSERT INTO ugfixture.users (id, pool_id, username, email, email_verified, phone, phone_country_code, phone_verified, external_id, unionid, openid, name, nickname, given_name, family_name, middle_name, preferred_username, profile, photo, website, gender, birthdate, zoneinfo, locale, address, formatted, street_address, locality, region, postal_code, city, province, country, company, identity_number, browser, device, register_source, user_source_type, logins_count, last_login, last_ip, signed_up, status, status_changed_at, hidden, token_expired_at, token_generation, password_hash, password_last_set_at, reset_password_on_next_login, created_at, updated_at) VALUES ('01a24ec7-8eeb-72ed-8197-5e55fc607679', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', 'member21', 'member21@example.com', false, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'U', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'adminCreated', 0, NULL, NULL, NULL, 'Activated', NULL, false, NULL, 0, '', NULL, false, '2026-12-07 04:33:50.827023+00', '2026-12-07 04:33:50.827023+00');
INSERT INTO ugfixture.users (id, pool_id, username, email, email_verified, phone, phone_country_code, phone_verified, external_id, unionid, openid, name, nickname, given_name, family_name, middle_name, preferred_username, profile, photo, website, gender, birthdate, zoneinfo, locale, address, formatted, street_address, locality, region, postal_code, city, province, country, company, identity_number, browser, device, register_source, user_source_type, logins_count, last_login, last_ip, signed_up, status, status_changed_at, hidden, token_expired_at, token_generation, password_hash, password_last_set_at, reset_password_on_next_login, created_at, updated_at) VALUES ('01a24ec7-8eeb-7308-aad2-d6b4bbf11003', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', 'member22', 'member22@example.com', false, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'U', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'adminCreated', 0, NULL, NULL, NULL, 'Activated', NULL, false, NULL, 0, '', NULL, false, '2026-12-07 04:33:50.827023+00', '2026-12-07 04:33:50.827023+00');
INSERT INTO ugfixture.users (id, pool_id, username, email, email_verified, phone, phone_country_code, phone_verified, external_id, unionid, openid, name, nickname, given_name, family_name, middle_name, preferred_username, profile, photo, website, gender, birthdate, zoneinfo, locale, address, formatted, street_address, locality, region, postal_code, city, province, country, company, identity_number, browser, device, register_source, user_source_type, logins_count, last_login, last_ip, signed_up, status, status_changed_at, hidden, token_expired_at, token_generation, password_hash, password_last_set_at, reset_password_on_next_login, created_at, updated_at) VALUES ('01a24ec7-8eeb-731f-9bbb-77dfec1f7ea2', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', 'member23', 'member23@example.com', false, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'U', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'adminCreated', 0, NULL, NULL, NULL, 'Activated', NULL, false, NULL, 0, '', NULL, false, '2026-12-07 04:33:50.827023+00', '2026-12-07 04:33:50.827023+00');
INSERT INTO ugfixture.users (id, pool_id, username, email, email_verified, phone, phone_country_code, phone_verified, external_id, unionid, openid, name, nickname, given_name, family_name, middle_name, preferred_username, profile, photo, website, gender, birthdate, zoneinfo, locale, address, formatted, street_address, locality, region, postal_code, city, province, country, company, identity_number, browser, device, register_source, user_source_type, logins_count, last_login, last_ip, signed_up, status, status_changed_at, hidden, token_expired_at, token_generation, password_hash, password_last_set_at, reset_password_on_next_login, created_at, updated_at) VALUES ('01a24ec7-8eeb-7331-a2e6-9a267586e5df', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', 'member24', 'member24@example.com', false, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'U', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'adminCreated', 0, NULL, NULL, NULL, 'Activated', NULL, false, NULL, 0, '', NULL, false, '2026-12-07 04:33:50.827023+00', '2026-12-07 04:33:50.827023+00');
INSERT INTO ugfixture.users (id, pool_id, username, email, email_verified, phone, phone_country_code, phone_verified, external_id, unionid, openid, name, nickname, given_name, family_name, middle_name, preferred_username, profile, photo, website, gender, birthdate, zoneinfo, locale, address, formatted, street_address, locality, region, postal_code, city, province, country, company, identity_number, browser, device, register_source, user_source_type, logins_count, last_login, last_ip, signed_up, status, status_changed_at, hidden, token_expired_at, token_generation, password_hash, password_last_set_at, reset_password_on_next_login, created_at, updated_at) VALUES ('01a24ec7-8eeb-7346-8d6b-b1f57908c2f3', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', 'member25', 'member25@example.com', false, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'U', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'adminCreated', 0, NULL, NULL, NULL, 'Activated', NULL, false, NULL, 0, '', NULL, false, '2026-12-07 04:33:50.827023+00', '2026-12-07 04:33:50.827023+00');
INSERT INTO ugfixture.users (id, pool_id, username, email, email_verified, phone, phone_country_code, phone_verified, external_id, unionid, openid, name, nickname, given_name, family_name, middle_name, preferred_username, profile, photo, website, gender, birthdate, zoneinfo, locale, address, formatted, street_address, locality, region, postal_code, city, province, country, company, identity_number, browser, device, register_source, user_source_type, logins_count, last_login, last_ip, signed_up, status, status_changed_at, hidden, token_expired_at, token_generation, password_hash, password_last_set_at, reset_password_on_next_login, created_at, updated_at) VALUES ('01a24ec7-8eeb-735a-bba3-3558f0554b13', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', 'member26', 'member26@example.com', false, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'U', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'adminCreated', 0, NULL, NULL, NULL, 'Activated', NULL, false, NULL, 0, '', NULL, false, '2026-12-07 04:33:50.827023+00', '2026-12-07 04:33:50.827023+00');
INSERT INTO ugfixture.users (id, pool_id, username, email, email_verified, phone, phone_country_code, phone_verified, external_id, unionid, openid, name, nickname, given_name, family_name, middle_name, preferred_username, profile, photo, website, gender, birthdate, zoneinfo, locale, address, formatted, street_address, locality, region, postal_code, city, province, country, company, identity_number, browser, device, register_source, user_source_type, logins_count, last_login, last_ip, signed_up, status, status_changed_at, hidden, token_expired_at, token_generation, password_hash, password_last_set_at, reset_password_on_next_login, created_at, updated_at) VALUES ('01a24ec7-8eeb-736b-b8b2-dc75377f46e3', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', 'member27', 'member27@example.com', false, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'U', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'adminCreated', 0, NULL, NULL, NULL, 'Activated', NULL, false, NULL, 0, '', NULL, false, '2026-12-07 04:33:50.827023+00', '2026-12-07 04:33:50.827023+00');
INSERT INTO ugfixture.users (id, pool_id, username, email, email_verified, phone, phone_country_code, phone_verified, external_id, unionid, openid, name, nickname, given_name, family_name, middle_name, preferred_username, profile, photo, website, gender, birthdate, zoneinfo, locale, address, formatted, street_address, locality, region, postal_code, city, province, country, company, identity_number, browser, device, register_source, user_source_type, logins_count, last_login, last_ip, signed_up, status, status_changed_at, hidden, token_expired_at, token_generation, password_hash, password_last_set_at, reset_password_on_next_login, created_at, updated_at) VALUES ('01a24ec7-8eeb-737c-9de2-dec6aeaf5e71', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', 'member28', 'member28@example.com', false, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'U', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'adminCreated', 0, NULL, NULL, NULL, 'Activated', NULL, false, NULL, 0, '', NULL, false, '2026-12-07 04:33:50.827023+00', '2026-12-07 04:33:50.827023+00');
INSERT INTO ugfixture.users (id, pool_id, username, email, email_verified, phone, phone_country_code, phone_verified, external_id, unionid, openid, name, nickname, given_name, family_name, middle_name, preferred_username, profile, photo, website, gender, birthdate, zoneinfo, locale, address, formatted, street_address, locality, region, postal_code, city, province, country, company, identity_number, browser, device, register_source, user_source_type, logins_count, last_login, last_ip, signed_up, status, status_changed_at, hidden, token_expired_at, token_generation, password_hash, password_last_set_at, reset_password_on_next_login, created_at, updated_at) VALUES ('01a24ec7-8eeb-7396-ab45-07a1207c0d43', '01a24ec7-8edb-795e-b296-0f8987dc5c3c', 'member29', 'member29@example.com', false, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'U', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'adminCreated', 0, NULL, NULL, NULL, 'Activated', NULL, false, NULL, 0, '', NULL, false, '2026-12-07 04:33:50.827023+00', '2026-12-07 04:33:50.827023+00');


--
-- Name: api_keys api_keys_pkey; Type: CONSTRAINT; Schema: ugfixture; Owner: -
--

ALTER TABLE ONLY ugfixture.api_keys
    ADD CONSTRAINT api_keys_pkey PRIMARY KEY (id);


--
-- Name: audit_records audit_records_pkey; Type: CONSTRAINT; Schema: ugfixture; Owner: -
--

ALTER TABLE ONLY ugfixture.audit_records
    ADD CONSTRAINT audit_records_pkey PRIMARY KEY (id);


--
-- Name: grants grants_pkey; Type: CONSTRAINT; Schema: ugfixture; Owner: -
--

ALTER TABLE ONLY ugfixture.grants
    ADD CONSTRAINT grants_pkey PRIMARY KEY (id);


--
-- Name: group_closures group_closures_pkey; Type: CONSTRAINT; Schema: ugfixture; Owner: -
--

ALTER TABLE ONLY ugfixture.group_closures
    ADD CONSTRAINT group_closures_pkey PRIMARY KEY (ancestor_id, descendant_id);


--
-- Name: group_members group_members_pkey; Type: CONSTRAINT; Schema: ugfixture; Owner: -
--

ALTER TABLE ONLY ugfixture.group_members
    ADD CONSTRAINT group_members_pkey PRIMARY KEY (group_id, user_id);


--
-- Name: group_roles group_roles_pkey; Type: CONSTRAINT; Schema: ugfixture; Owner: -
--

ALTER TABLE ONLY ugfixture.group_roles
    ADD CONSTRAINT group_roles_pkey PRIMARY KEY (group_id, role_id);


--
-- Name: group_udf_values group_udf_values_pkey; Type: CONSTRAINT; Schema: ugfixture; Owner: -
--

ALTER TABLE ONLY ugfixture.group_udf_values
    ADD CONSTRAINT group_udf_values_pkey PRIMARY KEY (group_id, definition_id);


--
-- Name: groups groups_pkey; Type: CONSTRAINT; Schema: ugfixture; Owner: -
--

ALTER TABLE ONLY ugfixture.groups
    ADD CONSTRAINT groups_pkey PRIMARY KEY (id);


--
-- Name: identities identities_pkey; Type: CONSTRAINT; Schema: ugfixture; Owner: -
--

ALTER TABLE ONLY ugfixture.identities
    ADD CONSTRAINT identities_pkey PRIMARY KEY (id);


--
-- Name: namespaces namespaces_pkey; Type: CONSTRAINT; Schema: ugfixture; Owner: -
--

ALTER TABLE ONLY ugfixture.namespaces
    ADD CONSTRAINT namespaces_pkey PRIMARY KEY (id);


--
-- Name: resources resources_pkey; Type: CONSTRAINT; Schema: ugfixture; Owner: -
--

ALTER TABLE ONLY ugfixture.resources
    ADD CONSTRAINT resources_pkey PRIMARY KEY (id);


--
-- Name: role_members role_members_pkey; Type: CONSTRAINT; Schema: ugfixture; Owner: -
--

ALTER TABLE ONLY ugfixture.role_members
    ADD CONSTRAINT role_members_pkey PRIMARY KEY (role_id, user_id);


--
-- Name: role_udf_values role_udf_values_pkey; Type: CONSTRAINT; Schema: ugfixture; Owner: -
--

ALTER TABLE ONLY ugfixture.role_udf_values
    ADD CONSTRAINT role_udf_values_pkey PRIMARY KEY (role_id, definition_id);


--
-- Name: roles roles_pkey; Type: CONSTRAINT; Schema: ugfixture; Owner: -
--

ALTER TABLE ONLY ugfixture.roles
    ADD CONSTRAINT roles_pkey PRIMARY KEY (id);


--
-- Name: settings settings_pkey; Type: CONSTRAINT; Schema: ugfixture; Owner: -
--

ALTER TABLE ONLY ugfixture.settings
    ADD CONSTRAINT settings_pkey PRIMARY KEY (key);


--
-- Name: udf_definitions udf_definitions_pkey; Type: CONSTRAINT; Schema: ugfixture; Owner: -
--

ALTER TABLE ONLY ugfixture.udf_definitions
    ADD CONSTRAINT udf_definitions_pkey PRIMARY KEY (id);


--
-- Name: user_pools user_pools_pkey; Type: CONSTRAINT; Schema: ugfixture; Owner: -
--

ALTER TABLE ONLY ugfixture.user_pools
    ADD CONSTRAINT user_pools_pkey PRIMARY KEY (id);


--
-- Name: user_udf_values user_udf_values_pkey; Type: CONSTRAINT; Schema: ugfixture; Owner: -
--

ALTER TABLE ONLY ugfixture.user_udf_values
    ADD CONSTRAINT user_udf_values_pkey PRIMARY KEY (user_id, definition_id);


--
-- Name: users users_pkey; Type: CONSTRAINT; Schema: ugfixture; Owner: -
--

ALTER TABLE ONLY ugfixture.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);


--
-- Name: idx_grants_group_id; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE INDEX idx_grants_group_id ON ugfixture.grants USING btree (group_id);


--
-- Name: idx_grants_role_id; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE INDEX idx_grants_role_id ON ugfixture.grants USING btree (role_id);


--
-- Name: idx_grants_user_id; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE INDEX idx_grants_user_id ON ugfixture.grants USING btree (user_id);


--
-- Name: idx_group_closures_descendant_id; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE INDEX idx_group_closures_descendant_id ON ugfixture.group_closures USING btree (descendant_id);


--
-- Name: idx_group_roles_role_id; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE INDEX idx_group_roles_role_id ON ugfixture.group_roles USING btree (role_id);


--
-- Name: idx_roles_namespace_id; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE INDEX idx_roles_namespace_id ON ugfixture.roles USING btree (namespace_id);


--
-- Name: ix_audit_actor; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE INDEX ix_audit_actor ON ugfixture.audit_records USING btree (pool_id, actor_id, at);


--
-- Name: ix_audit_at; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE INDEX ix_audit_at ON ugfixture.audit_records USING btree (at);


--
-- Name: ix_audit_object; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE INDEX ix_audit_object ON ugfixture.audit_records USING btree (pool_id, object_id, at);


--
-- Name: ix_audit_operation; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE INDEX ix_audit_operation ON ugfixture.audit_records USING btree (pool_id, operation, at);


--
-- Name: ix_audit_pool; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE INDEX ix_audit_pool ON ugfixture.audit_records USING btree (pool_id, at);


--
-- Name: ix_audit_type; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE INDEX ix_audit_type ON ugfixture.audit_records USING btree (pool_id, object_type, at);


--
-- Name: ix_group_members_order; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE INDEX ix_group_members_order ON ugfixture.group_members USING btree (group_id, created_at, user_id);


--
-- Name: ix_group_members_state; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE INDEX ix_group_members_state ON ugfixture.group_members USING btree (group_id, user_status, user_hidden, user_id);


--
-- Name: ix_group_members_user; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE INDEX ix_group_members_user ON ugfixture.group_members USING btree (user_id, pool_id, group_id);


--
-- Name: ix_group_roles_pool; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE INDEX ix_group_roles_pool ON ugfixture.group_roles USING btree (pool_id);


--
-- Name: ix_group_udf_bool; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE INDEX ix_group_udf_bool ON ugfixture.group_udf_values USING btree (definition_id, bool_value);


--
-- Name: ix_group_udf_number; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE INDEX ix_group_udf_number ON ugfixture.group_udf_values USING btree (definition_id, number_value);


--
-- Name: ix_group_udf_string; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE INDEX ix_group_udf_string ON ugfixture.group_udf_values USING btree (definition_id, string_value);


--
-- Name: ix_group_udf_time; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE INDEX ix_group_udf_time ON ugfixture.group_udf_values USING btree (definition_id, time_value);


--
-- Name: ix_groups_created; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE INDEX ix_groups_created ON ugfixture.groups USING btree (pool_id, created_at);


--
-- Name: ix_groups_parent; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE INDEX ix_groups_parent ON ugfixture.groups USING btree (parent_id);


--
-- Name: ix_identities_provider; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE INDEX ix_identities_provider ON ugfixture.identities USING btree (pool_id, provider);


--
-- Name: ix_identities_user; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE INDEX ix_identities_user ON ugfixture.identities USING btree (user_id);


--
-- Name: ix_resources_list; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE INDEX ix_resources_list ON ugfixture.resources USING btree (pool_id, namespace_id, type, created_at);


--
-- Name: ix_role_members_order; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE INDEX ix_role_members_order ON ugfixture.role_members USING btree (role_id, created_at, user_id);


--
-- Name: ix_role_members_user; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE INDEX ix_role_members_user ON ugfixture.role_members USING btree (user_id, pool_id, role_id);


--
-- Name: ix_role_udf_bool; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE INDEX ix_role_udf_bool ON ugfixture.role_udf_values USING btree (definition_id, bool_value);


--
-- Name: ix_role_udf_number; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE INDEX ix_role_udf_number ON ugfixture.role_udf_values USING btree (definition_id, number_value);


--
-- Name: ix_role_udf_string; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE INDEX ix_role_udf_string ON ugfixture.role_udf_values USING btree (definition_id, string_value);


--
-- Name: ix_role_udf_time; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE INDEX ix_role_udf_time ON ugfixture.role_udf_values USING btree (definition_id, time_value);


--
-- Name: ix_udf_bool; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE INDEX ix_udf_bool ON ugfixture.user_udf_values USING btree (definition_id, bool_value);


--
-- Name: ix_udf_number; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE INDEX ix_udf_number ON ugfixture.user_udf_values USING btree (definition_id, number_value);


--
-- Name: ix_udf_string; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE INDEX ix_udf_string ON ugfixture.user_udf_values USING btree (definition_id, string_value);


--
-- Name: ix_udf_time; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE INDEX ix_udf_time ON ugfixture.user_udf_values USING btree (definition_id, time_value);


--
-- Name: ix_users_by_created; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE INDEX ix_users_by_created ON ugfixture.users USING btree (pool_id, created_at, id, status);


--
-- Name: ix_users_by_last_login; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE INDEX ix_users_by_last_login ON ugfixture.users USING btree (pool_id, last_login, id, status);


--
-- Name: ix_users_by_updated; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE INDEX ix_users_by_updated ON ugfixture.users USING btree (pool_id, updated_at, id, status);


--
-- Name: ix_users_by_username; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE INDEX ix_users_by_username ON ugfixture.users USING btree (pool_id, username, id, status);


--
-- Name: ix_users_email_verified_created; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE INDEX ix_users_email_verified_created ON ugfixture.users USING btree (pool_id, email_verified, created_at, id);


--
-- Name: ix_users_hidden_created; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE INDEX ix_users_hidden_created ON ugfixture.users USING btree (pool_id, hidden, created_at, id);


--
-- Name: ix_users_phone_verified_created; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE INDEX ix_users_phone_verified_created ON ugfixture.users USING btree (pool_id, phone_verified, created_at, id);


--
-- Name: ix_users_search_text; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE INDEX ix_users_search_text ON ugfixture.users USING gin (search_text public.gin_trgm_ops);


--
-- Name: ix_users_signed_up; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE INDEX ix_users_signed_up ON ugfixture.users USING btree (pool_id, signed_up);


--
-- Name: ix_users_status_created; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE INDEX ix_users_status_created ON ugfixture.users USING btree (pool_id, status, created_at, id);


--
-- Name: ux_api_keys_name; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE UNIQUE INDEX ux_api_keys_name ON ugfixture.api_keys USING btree (pool_id, name);


--
-- Name: ux_grants; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE UNIQUE INDEX ux_grants ON ugfixture.grants USING btree (resource_id, resource_code, target_key);


--
-- Name: ux_groups_code; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE UNIQUE INDEX ux_groups_code ON ugfixture.groups USING btree (pool_id, code);


--
-- Name: ux_identities_idp; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE UNIQUE INDEX ux_identities_idp ON ugfixture.identities USING btree (pool_id, provider, user_id_in_idp);


--
-- Name: ux_namespaces_code; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE UNIQUE INDEX ux_namespaces_code ON ugfixture.namespaces USING btree (pool_id, code);


--
-- Name: ux_resources_code; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE UNIQUE INDEX ux_resources_code ON ugfixture.resources USING btree (pool_id, namespace_id, code);


--
-- Name: ux_roles_code; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE UNIQUE INDEX ux_roles_code ON ugfixture.roles USING btree (pool_id, namespace, code);


--
-- Name: ux_udf_key; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE UNIQUE INDEX ux_udf_key ON ugfixture.udf_definitions USING btree (pool_id, target_type, key);


--
-- Name: ux_users_email; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE UNIQUE INDEX ux_users_email ON ugfixture.users USING btree (pool_id, email);


--
-- Name: ux_users_external_id; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE UNIQUE INDEX ux_users_external_id ON ugfixture.users USING btree (pool_id, external_id);


--
-- Name: ux_users_phone; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE UNIQUE INDEX ux_users_phone ON ugfixture.users USING btree (pool_id, phone);


--
-- Name: ux_users_username; Type: INDEX; Schema: ugfixture; Owner: -
--

CREATE UNIQUE INDEX ux_users_username ON ugfixture.users USING btree (pool_id, username);


--
-- Name: group_members group_members_user_state; Type: TRIGGER; Schema: ugfixture; Owner: -
--

CREATE TRIGGER group_members_user_state BEFORE INSERT ON ugfixture.group_members FOR EACH ROW EXECUTE FUNCTION ugfixture.ug_member_state();


--
-- Name: users users_member_state; Type: TRIGGER; Schema: ugfixture; Owner: -
--

CREATE TRIGGER users_member_state AFTER UPDATE OF status, hidden ON ugfixture.users FOR EACH ROW WHEN ((((old.status)::text IS DISTINCT FROM (new.status)::text) OR (old.hidden IS DISTINCT FROM new.hidden))) EXECUTE FUNCTION ugfixture.ug_user_state();


--
-- Name: api_keys fk_api_keys_pool; Type: FK CONSTRAINT; Schema: ugfixture; Owner: -
--

ALTER TABLE ONLY ugfixture.api_keys
    ADD CONSTRAINT fk_api_keys_pool FOREIGN KEY (pool_id) REFERENCES ugfixture.user_pools(id) ON DELETE CASCADE;


--
-- Name: audit_records fk_audit_records_pool; Type: FK CONSTRAINT; Schema: ugfixture; Owner: -
--

ALTER TABLE ONLY ugfixture.audit_records
    ADD CONSTRAINT fk_audit_records_pool FOREIGN KEY (pool_id) REFERENCES ugfixture.user_pools(id) ON DELETE CASCADE;


--
-- Name: grants fk_grants_group; Type: FK CONSTRAINT; Schema: ugfixture; Owner: -
--

ALTER TABLE ONLY ugfixture.grants
    ADD CONSTRAINT fk_grants_group FOREIGN KEY (group_id) REFERENCES ugfixture.groups(id) ON DELETE CASCADE;


--
-- Name: grants fk_grants_resource; Type: FK CONSTRAINT; Schema: ugfixture; Owner: -
--

ALTER TABLE ONLY ugfixture.grants
    ADD CONSTRAINT fk_grants_resource FOREIGN KEY (resource_id) REFERENCES ugfixture.resources(id) ON DELETE CASCADE;


--
-- Name: grants fk_grants_role; Type: FK CONSTRAINT; Schema: ugfixture; Owner: -
--

ALTER TABLE ONLY ugfixture.grants
    ADD CONSTRAINT fk_grants_role FOREIGN KEY (role_id) REFERENCES ugfixture.roles(id) ON DELETE CASCADE;


--
-- Name: grants fk_grants_user; Type: FK CONSTRAINT; Schema: ugfixture; Owner: -
--

ALTER TABLE ONLY ugfixture.grants
    ADD CONSTRAINT fk_grants_user FOREIGN KEY (user_id) REFERENCES ugfixture.users(id) ON DELETE CASCADE;


--
-- Name: group_closures fk_group_closures_ancestor; Type: FK CONSTRAINT; Schema: ugfixture; Owner: -
--

ALTER TABLE ONLY ugfixture.group_closures
    ADD CONSTRAINT fk_group_closures_ancestor FOREIGN KEY (ancestor_id) REFERENCES ugfixture.groups(id) ON DELETE CASCADE;


--
-- Name: group_closures fk_group_closures_descendant; Type: FK CONSTRAINT; Schema: ugfixture; Owner: -
--

ALTER TABLE ONLY ugfixture.group_closures
    ADD CONSTRAINT fk_group_closures_descendant FOREIGN KEY (descendant_id) REFERENCES ugfixture.groups(id) ON DELETE CASCADE;


--
-- Name: group_members fk_group_members_group; Type: FK CONSTRAINT; Schema: ugfixture; Owner: -
--

ALTER TABLE ONLY ugfixture.group_members
    ADD CONSTRAINT fk_group_members_group FOREIGN KEY (group_id) REFERENCES ugfixture.groups(id) ON DELETE CASCADE;


--
-- Name: group_members fk_group_members_user; Type: FK CONSTRAINT; Schema: ugfixture; Owner: -
--

ALTER TABLE ONLY ugfixture.group_members
    ADD CONSTRAINT fk_group_members_user FOREIGN KEY (user_id) REFERENCES ugfixture.users(id) ON DELETE CASCADE;


--
-- Name: group_roles fk_group_roles_group; Type: FK CONSTRAINT; Schema: ugfixture; Owner: -
--

ALTER TABLE ONLY ugfixture.group_roles
    ADD CONSTRAINT fk_group_roles_group FOREIGN KEY (group_id) REFERENCES ugfixture.groups(id) ON DELETE CASCADE;


--
-- Name: group_roles fk_group_roles_role; Type: FK CONSTRAINT; Schema: ugfixture; Owner: -
--

ALTER TABLE ONLY ugfixture.group_roles
    ADD CONSTRAINT fk_group_roles_role FOREIGN KEY (role_id) REFERENCES ugfixture.roles(id) ON DELETE CASCADE;


--
-- Name: group_udf_values fk_group_udf_values_definition; Type: FK CONSTRAINT; Schema: ugfixture; Owner: -
--

ALTER TABLE ONLY ugfixture.group_udf_values
    ADD CONSTRAINT fk_group_udf_values_definition FOREIGN KEY (definition_id) REFERENCES ugfixture.udf_definitions(id) ON DELETE CASCADE;


--
-- Name: group_udf_values fk_group_udf_values_group; Type: FK CONSTRAINT; Schema: ugfixture; Owner: -
--

ALTER TABLE ONLY ugfixture.group_udf_values
    ADD CONSTRAINT fk_group_udf_values_group FOREIGN KEY (group_id) REFERENCES ugfixture.groups(id) ON DELETE CASCADE;


--
-- Name: groups fk_groups_pool; Type: FK CONSTRAINT; Schema: ugfixture; Owner: -
--

ALTER TABLE ONLY ugfixture.groups
    ADD CONSTRAINT fk_groups_pool FOREIGN KEY (pool_id) REFERENCES ugfixture.user_pools(id) ON DELETE CASCADE;


--
-- Name: identities fk_identities_user; Type: FK CONSTRAINT; Schema: ugfixture; Owner: -
--

ALTER TABLE ONLY ugfixture.identities
    ADD CONSTRAINT fk_identities_user FOREIGN KEY (user_id) REFERENCES ugfixture.users(id) ON DELETE CASCADE;


--
-- Name: namespaces fk_namespaces_pool; Type: FK CONSTRAINT; Schema: ugfixture; Owner: -
--

ALTER TABLE ONLY ugfixture.namespaces
    ADD CONSTRAINT fk_namespaces_pool FOREIGN KEY (pool_id) REFERENCES ugfixture.user_pools(id) ON DELETE CASCADE;


--
-- Name: resources fk_resources_ns; Type: FK CONSTRAINT; Schema: ugfixture; Owner: -
--

ALTER TABLE ONLY ugfixture.resources
    ADD CONSTRAINT fk_resources_ns FOREIGN KEY (namespace_id) REFERENCES ugfixture.namespaces(id) ON DELETE CASCADE;


--
-- Name: role_members fk_role_members_role; Type: FK CONSTRAINT; Schema: ugfixture; Owner: -
--

ALTER TABLE ONLY ugfixture.role_members
    ADD CONSTRAINT fk_role_members_role FOREIGN KEY (role_id) REFERENCES ugfixture.roles(id) ON DELETE CASCADE;


--
-- Name: role_members fk_role_members_user; Type: FK CONSTRAINT; Schema: ugfixture; Owner: -
--

ALTER TABLE ONLY ugfixture.role_members
    ADD CONSTRAINT fk_role_members_user FOREIGN KEY (user_id) REFERENCES ugfixture.users(id) ON DELETE CASCADE;


--
-- Name: role_udf_values fk_role_udf_values_definition; Type: FK CONSTRAINT; Schema: ugfixture; Owner: -
--

ALTER TABLE ONLY ugfixture.role_udf_values
    ADD CONSTRAINT fk_role_udf_values_definition FOREIGN KEY (definition_id) REFERENCES ugfixture.udf_definitions(id) ON DELETE CASCADE;


--
-- Name: role_udf_values fk_role_udf_values_role; Type: FK CONSTRAINT; Schema: ugfixture; Owner: -
--

ALTER TABLE ONLY ugfixture.role_udf_values
    ADD CONSTRAINT fk_role_udf_values_role FOREIGN KEY (role_id) REFERENCES ugfixture.roles(id) ON DELETE CASCADE;


--
-- Name: roles fk_roles_ns; Type: FK CONSTRAINT; Schema: ugfixture; Owner: -
--

ALTER TABLE ONLY ugfixture.roles
    ADD CONSTRAINT fk_roles_ns FOREIGN KEY (namespace_id) REFERENCES ugfixture.namespaces(id) ON DELETE CASCADE;


--
-- Name: udf_definitions fk_udf_definitions_pool; Type: FK CONSTRAINT; Schema: ugfixture; Owner: -
--

ALTER TABLE ONLY ugfixture.udf_definitions
    ADD CONSTRAINT fk_udf_definitions_pool FOREIGN KEY (pool_id) REFERENCES ugfixture.user_pools(id) ON DELETE CASCADE;


--
-- Name: user_udf_values fk_user_udf_values_definition; Type: FK CONSTRAINT; Schema: ugfixture; Owner: -
--

ALTER TABLE ONLY ugfixture.user_udf_values
    ADD CONSTRAINT fk_user_udf_values_definition FOREIGN KEY (definition_id) REFERENCES ugfixture.udf_definitions(id) ON DELETE CASCADE;


--
-- Name: user_udf_values fk_user_udf_values_user; Type: FK CONSTRAINT; Schema: ugfixture; Owner: -
--

ALTER TABLE ONLY ugfixture.user_udf_values
    ADD CONSTRAINT fk_user_udf_values_user FOREIGN KEY (user_id) REFERENCES ugfixture.users(id) ON DELETE CASCADE;


--
-- Name: users fk_users_pool; Type: FK CONSTRAINT; Schema: ugfixture; Owner: -
--

ALTER TABLE ONLY ugfixture.users
    ADD CONSTRAINT fk_users_pool FOREIGN KEY (pool_id) REFERENCES ugfixture.user_pools(id) ON DELETE CASCADE;


--
-- PostgreSQL database dump complete
--

\unrestrict Nhb08kCMj3KM6DLCMJbowtYb8T6isThhK0bsdh0UP3CEcqGGli6sJOHXwzQAFdE

