-- The schema as the last AutoMigrate release (schema "2026-11-30.member-state")
-- left a fresh PostgreSQL schema (pg_dump --schema-only, PostgreSQL 15, names
-- unqualified so it applies to the search_path's schema). A database that
-- release wrote is at this version already (db.Migrate marks it so); a new
-- one starts here.

-- +goose Up
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;

-- +goose StatementBegin
CREATE FUNCTION ug_fold(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $_$ SELECT translate($1, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') $_$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION ug_member_state() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
	DECLARE s text; h boolean;
	BEGIN
		SELECT u.status, u.hidden INTO s, h FROM users u WHERE u.id = NEW.user_id;
		IF FOUND THEN NEW.user_status := s; NEW.user_hidden := h; END IF;
		RETURN NEW;
	END $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION ug_user_state() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
	BEGIN
		UPDATE group_members SET user_status = NEW.status, user_hidden = NEW.hidden WHERE user_id = NEW.id;
		RETURN NULL;
	END $$;
-- +goose StatementEnd

CREATE TABLE api_keys (
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

CREATE TABLE audit_records (
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

CREATE TABLE grants (
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

CREATE TABLE group_closures (
    ancestor_id character varying(36) NOT NULL,
    descendant_id character varying(36) NOT NULL,
    pool_id character varying(36) NOT NULL,
    depth bigint NOT NULL
);

CREATE TABLE group_members (
    group_id character varying(36) NOT NULL,
    user_id character varying(36) NOT NULL,
    pool_id character varying(36) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    user_status character varying(16) DEFAULT 'Activated'::character varying NOT NULL,
    user_hidden boolean DEFAULT false NOT NULL
);

CREATE TABLE group_roles (
    group_id character varying(36) NOT NULL,
    role_id character varying(36) NOT NULL,
    pool_id character varying(36) NOT NULL,
    created_at timestamp with time zone NOT NULL
);

CREATE TABLE group_udf_values (
    group_id character varying(36) NOT NULL,
    definition_id character varying(36) NOT NULL,
    pool_id character varying(36) NOT NULL,
    string_value character varying(10000),
    number_value numeric,
    bool_value boolean,
    time_value timestamp with time zone,
    object_value text
);

CREATE TABLE groups (
    id character varying(36) NOT NULL,
    pool_id character varying(36) NOT NULL,
    code character varying(64) NOT NULL,
    name character varying(255),
    description character varying(1000),
    parent_id character varying(36),
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);

CREATE TABLE identities (
    id character varying(36) NOT NULL,
    pool_id character varying(36) NOT NULL,
    user_id character varying(36) NOT NULL,
    provider character varying(64) NOT NULL,
    type character varying(64) NOT NULL,
    user_id_in_idp character varying(255) NOT NULL,
    ext_idp_id character varying(255),
    created_at timestamp with time zone NOT NULL
);

CREATE TABLE namespaces (
    id character varying(36) NOT NULL,
    pool_id character varying(36) NOT NULL,
    code character varying(64) NOT NULL,
    name character varying(255),
    description character varying(1000),
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);

CREATE TABLE resources (
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

CREATE TABLE role_members (
    role_id character varying(36) NOT NULL,
    user_id character varying(36) NOT NULL,
    pool_id character varying(36) NOT NULL,
    created_at timestamp with time zone NOT NULL
);

CREATE TABLE role_udf_values (
    role_id character varying(36) NOT NULL,
    definition_id character varying(36) NOT NULL,
    pool_id character varying(36) NOT NULL,
    string_value character varying(10000),
    number_value numeric,
    bool_value boolean,
    time_value timestamp with time zone,
    object_value text
);

CREATE TABLE roles (
    id character varying(36) NOT NULL,
    pool_id character varying(36) NOT NULL,
    namespace_id character varying(36) NOT NULL,
    namespace character varying(64) NOT NULL,
    code character varying(64) NOT NULL,
    description character varying(1000),
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);

CREATE TABLE settings (
    key character varying(64) NOT NULL,
    value bytea NOT NULL
);

CREATE TABLE udf_definitions (
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

CREATE TABLE user_pools (
    id character varying(36) NOT NULL,
    name character varying(255) NOT NULL,
    secret_hash bytea NOT NULL,
    is_default boolean DEFAULT false NOT NULL,
    secret_generation bigint DEFAULT 0 NOT NULL,
    created_at timestamp with time zone NOT NULL
);

CREATE TABLE user_udf_values (
    user_id character varying(36) NOT NULL,
    definition_id character varying(36) NOT NULL,
    pool_id character varying(36) NOT NULL,
    string_value character varying(10000),
    number_value numeric,
    bool_value boolean,
    time_value timestamp with time zone,
    object_value text
);

CREATE TABLE users (
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
    search_text text GENERATED ALWAYS AS (ug_fold((((((((((((((((((((((COALESCE(username, ''::character varying))::text || E'\x1f'::text) || (COALESCE(nickname, ''::character varying))::text) || E'\x1f'::text) || (COALESCE(email, ''::character varying))::text) || E'\x1f'::text) || (COALESCE(phone, ''::character varying))::text) || E'\x1f'::text) || (COALESCE(company, ''::character varying))::text) || E'\x1f'::text) || (COALESCE(name, ''::character varying))::text) || E'\x1f'::text) || (COALESCE(given_name, ''::character varying))::text) || E'\x1f'::text) || (COALESCE(family_name, ''::character varying))::text) || E'\x1f'::text) || (COALESCE(middle_name, ''::character varying))::text) || E'\x1f'::text) || (COALESCE(profile, ''::character varying))::text) || E'\x1f'::text) || (COALESCE(preferred_username, ''::character varying))::text))) STORED
);

ALTER TABLE ONLY api_keys
    ADD CONSTRAINT api_keys_pkey PRIMARY KEY (id);

ALTER TABLE ONLY audit_records
    ADD CONSTRAINT audit_records_pkey PRIMARY KEY (id);

ALTER TABLE ONLY grants
    ADD CONSTRAINT grants_pkey PRIMARY KEY (id);

ALTER TABLE ONLY group_closures
    ADD CONSTRAINT group_closures_pkey PRIMARY KEY (ancestor_id, descendant_id);

ALTER TABLE ONLY group_members
    ADD CONSTRAINT group_members_pkey PRIMARY KEY (group_id, user_id);

ALTER TABLE ONLY group_roles
    ADD CONSTRAINT group_roles_pkey PRIMARY KEY (group_id, role_id);

ALTER TABLE ONLY group_udf_values
    ADD CONSTRAINT group_udf_values_pkey PRIMARY KEY (group_id, definition_id);

ALTER TABLE ONLY groups
    ADD CONSTRAINT groups_pkey PRIMARY KEY (id);

ALTER TABLE ONLY identities
    ADD CONSTRAINT identities_pkey PRIMARY KEY (id);

ALTER TABLE ONLY namespaces
    ADD CONSTRAINT namespaces_pkey PRIMARY KEY (id);

ALTER TABLE ONLY resources
    ADD CONSTRAINT resources_pkey PRIMARY KEY (id);

ALTER TABLE ONLY role_members
    ADD CONSTRAINT role_members_pkey PRIMARY KEY (role_id, user_id);

ALTER TABLE ONLY role_udf_values
    ADD CONSTRAINT role_udf_values_pkey PRIMARY KEY (role_id, definition_id);

ALTER TABLE ONLY roles
    ADD CONSTRAINT roles_pkey PRIMARY KEY (id);

ALTER TABLE ONLY settings
    ADD CONSTRAINT settings_pkey PRIMARY KEY (key);

ALTER TABLE ONLY udf_definitions
    ADD CONSTRAINT udf_definitions_pkey PRIMARY KEY (id);

ALTER TABLE ONLY user_pools
    ADD CONSTRAINT user_pools_pkey PRIMARY KEY (id);

ALTER TABLE ONLY user_udf_values
    ADD CONSTRAINT user_udf_values_pkey PRIMARY KEY (user_id, definition_id);

ALTER TABLE ONLY users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);

CREATE INDEX idx_grants_group_id ON grants USING btree (group_id);

CREATE INDEX idx_grants_role_id ON grants USING btree (role_id);

CREATE INDEX idx_grants_user_id ON grants USING btree (user_id);

CREATE INDEX idx_group_closures_descendant_id ON group_closures USING btree (descendant_id);

CREATE INDEX idx_group_roles_role_id ON group_roles USING btree (role_id);

CREATE INDEX idx_roles_namespace_id ON roles USING btree (namespace_id);

CREATE INDEX ix_audit_actor ON audit_records USING btree (pool_id, actor_id, at);

CREATE INDEX ix_audit_at ON audit_records USING btree (at);

CREATE INDEX ix_audit_object ON audit_records USING btree (pool_id, object_id, at);

CREATE INDEX ix_audit_operation ON audit_records USING btree (pool_id, operation, at);

CREATE INDEX ix_audit_pool ON audit_records USING btree (pool_id, at);

CREATE INDEX ix_audit_type ON audit_records USING btree (pool_id, object_type, at);

CREATE INDEX ix_group_members_order ON group_members USING btree (group_id, created_at, user_id);

CREATE INDEX ix_group_members_state ON group_members USING btree (group_id, user_status, user_hidden, user_id);

CREATE INDEX ix_group_members_user ON group_members USING btree (user_id, pool_id, group_id);

CREATE INDEX ix_group_roles_pool ON group_roles USING btree (pool_id);

CREATE INDEX ix_group_udf_bool ON group_udf_values USING btree (definition_id, bool_value);

CREATE INDEX ix_group_udf_number ON group_udf_values USING btree (definition_id, number_value);

CREATE INDEX ix_group_udf_string ON group_udf_values USING btree (definition_id, string_value);

CREATE INDEX ix_group_udf_time ON group_udf_values USING btree (definition_id, time_value);

CREATE INDEX ix_groups_created ON groups USING btree (pool_id, created_at);

CREATE INDEX ix_groups_parent ON groups USING btree (parent_id);

CREATE INDEX ix_identities_provider ON identities USING btree (pool_id, provider);

CREATE INDEX ix_identities_user ON identities USING btree (user_id);

CREATE INDEX ix_resources_list ON resources USING btree (pool_id, namespace_id, type, created_at);

CREATE INDEX ix_role_members_order ON role_members USING btree (role_id, created_at, user_id);

CREATE INDEX ix_role_members_user ON role_members USING btree (user_id, pool_id, role_id);

CREATE INDEX ix_role_udf_bool ON role_udf_values USING btree (definition_id, bool_value);

CREATE INDEX ix_role_udf_number ON role_udf_values USING btree (definition_id, number_value);

CREATE INDEX ix_role_udf_string ON role_udf_values USING btree (definition_id, string_value);

CREATE INDEX ix_role_udf_time ON role_udf_values USING btree (definition_id, time_value);

CREATE INDEX ix_udf_bool ON user_udf_values USING btree (definition_id, bool_value);

CREATE INDEX ix_udf_number ON user_udf_values USING btree (definition_id, number_value);

CREATE INDEX ix_udf_string ON user_udf_values USING btree (definition_id, string_value);

CREATE INDEX ix_udf_time ON user_udf_values USING btree (definition_id, time_value);

CREATE INDEX ix_users_by_created ON users USING btree (pool_id, created_at, id, status);

CREATE INDEX ix_users_by_last_login ON users USING btree (pool_id, last_login, id, status);

CREATE INDEX ix_users_by_updated ON users USING btree (pool_id, updated_at, id, status);

CREATE INDEX ix_users_by_username ON users USING btree (pool_id, username, id, status);

CREATE INDEX ix_users_email_verified_created ON users USING btree (pool_id, email_verified, created_at, id);

CREATE INDEX ix_users_hidden_created ON users USING btree (pool_id, hidden, created_at, id);

CREATE INDEX ix_users_phone_verified_created ON users USING btree (pool_id, phone_verified, created_at, id);

CREATE INDEX ix_users_search_text ON users USING gin (search_text public.gin_trgm_ops);

CREATE INDEX ix_users_signed_up ON users USING btree (pool_id, signed_up);

CREATE INDEX ix_users_status_created ON users USING btree (pool_id, status, created_at, id);

CREATE UNIQUE INDEX ux_api_keys_name ON api_keys USING btree (pool_id, name);

CREATE UNIQUE INDEX ux_grants ON grants USING btree (resource_id, resource_code, target_key);

CREATE UNIQUE INDEX ux_groups_code ON groups USING btree (pool_id, code);

CREATE UNIQUE INDEX ux_identities_idp ON identities USING btree (pool_id, provider, user_id_in_idp);

CREATE UNIQUE INDEX ux_namespaces_code ON namespaces USING btree (pool_id, code);

CREATE UNIQUE INDEX ux_resources_code ON resources USING btree (pool_id, namespace_id, code);

CREATE UNIQUE INDEX ux_roles_code ON roles USING btree (pool_id, namespace, code);

CREATE UNIQUE INDEX ux_udf_key ON udf_definitions USING btree (pool_id, target_type, key);

CREATE UNIQUE INDEX ux_users_email ON users USING btree (pool_id, email);

CREATE UNIQUE INDEX ux_users_external_id ON users USING btree (pool_id, external_id);

CREATE UNIQUE INDEX ux_users_phone ON users USING btree (pool_id, phone);

CREATE UNIQUE INDEX ux_users_username ON users USING btree (pool_id, username);

CREATE TRIGGER group_members_user_state BEFORE INSERT ON group_members FOR EACH ROW EXECUTE FUNCTION ug_member_state();

CREATE TRIGGER users_member_state AFTER UPDATE OF status, hidden ON users FOR EACH ROW WHEN ((((old.status)::text IS DISTINCT FROM (new.status)::text) OR (old.hidden IS DISTINCT FROM new.hidden))) EXECUTE FUNCTION ug_user_state();

ALTER TABLE ONLY api_keys
    ADD CONSTRAINT fk_api_keys_pool FOREIGN KEY (pool_id) REFERENCES user_pools(id) ON DELETE CASCADE;

ALTER TABLE ONLY audit_records
    ADD CONSTRAINT fk_audit_records_pool FOREIGN KEY (pool_id) REFERENCES user_pools(id) ON DELETE CASCADE;

ALTER TABLE ONLY grants
    ADD CONSTRAINT fk_grants_group FOREIGN KEY (group_id) REFERENCES groups(id) ON DELETE CASCADE;

ALTER TABLE ONLY grants
    ADD CONSTRAINT fk_grants_resource FOREIGN KEY (resource_id) REFERENCES resources(id) ON DELETE CASCADE;

ALTER TABLE ONLY grants
    ADD CONSTRAINT fk_grants_role FOREIGN KEY (role_id) REFERENCES roles(id) ON DELETE CASCADE;

ALTER TABLE ONLY grants
    ADD CONSTRAINT fk_grants_user FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE;

ALTER TABLE ONLY group_closures
    ADD CONSTRAINT fk_group_closures_ancestor FOREIGN KEY (ancestor_id) REFERENCES groups(id) ON DELETE CASCADE;

ALTER TABLE ONLY group_closures
    ADD CONSTRAINT fk_group_closures_descendant FOREIGN KEY (descendant_id) REFERENCES groups(id) ON DELETE CASCADE;

ALTER TABLE ONLY group_members
    ADD CONSTRAINT fk_group_members_group FOREIGN KEY (group_id) REFERENCES groups(id) ON DELETE CASCADE;

ALTER TABLE ONLY group_members
    ADD CONSTRAINT fk_group_members_user FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE;

ALTER TABLE ONLY group_roles
    ADD CONSTRAINT fk_group_roles_group FOREIGN KEY (group_id) REFERENCES groups(id) ON DELETE CASCADE;

ALTER TABLE ONLY group_roles
    ADD CONSTRAINT fk_group_roles_role FOREIGN KEY (role_id) REFERENCES roles(id) ON DELETE CASCADE;

ALTER TABLE ONLY group_udf_values
    ADD CONSTRAINT fk_group_udf_values_definition FOREIGN KEY (definition_id) REFERENCES udf_definitions(id) ON DELETE CASCADE;

ALTER TABLE ONLY group_udf_values
    ADD CONSTRAINT fk_group_udf_values_group FOREIGN KEY (group_id) REFERENCES groups(id) ON DELETE CASCADE;

ALTER TABLE ONLY groups
    ADD CONSTRAINT fk_groups_pool FOREIGN KEY (pool_id) REFERENCES user_pools(id) ON DELETE CASCADE;

ALTER TABLE ONLY identities
    ADD CONSTRAINT fk_identities_user FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE;

ALTER TABLE ONLY namespaces
    ADD CONSTRAINT fk_namespaces_pool FOREIGN KEY (pool_id) REFERENCES user_pools(id) ON DELETE CASCADE;

ALTER TABLE ONLY resources
    ADD CONSTRAINT fk_resources_ns FOREIGN KEY (namespace_id) REFERENCES namespaces(id) ON DELETE CASCADE;

ALTER TABLE ONLY role_members
    ADD CONSTRAINT fk_role_members_role FOREIGN KEY (role_id) REFERENCES roles(id) ON DELETE CASCADE;

ALTER TABLE ONLY role_members
    ADD CONSTRAINT fk_role_members_user FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE;

ALTER TABLE ONLY role_udf_values
    ADD CONSTRAINT fk_role_udf_values_definition FOREIGN KEY (definition_id) REFERENCES udf_definitions(id) ON DELETE CASCADE;

ALTER TABLE ONLY role_udf_values
    ADD CONSTRAINT fk_role_udf_values_role FOREIGN KEY (role_id) REFERENCES roles(id) ON DELETE CASCADE;

ALTER TABLE ONLY roles
    ADD CONSTRAINT fk_roles_ns FOREIGN KEY (namespace_id) REFERENCES namespaces(id) ON DELETE CASCADE;

ALTER TABLE ONLY udf_definitions
    ADD CONSTRAINT fk_udf_definitions_pool FOREIGN KEY (pool_id) REFERENCES user_pools(id) ON DELETE CASCADE;

ALTER TABLE ONLY user_udf_values
    ADD CONSTRAINT fk_user_udf_values_definition FOREIGN KEY (definition_id) REFERENCES udf_definitions(id) ON DELETE CASCADE;

ALTER TABLE ONLY user_udf_values
    ADD CONSTRAINT fk_user_udf_values_user FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE;

ALTER TABLE ONLY users
    ADD CONSTRAINT fk_users_pool FOREIGN KEY (pool_id) REFERENCES user_pools(id) ON DELETE CASCADE;
