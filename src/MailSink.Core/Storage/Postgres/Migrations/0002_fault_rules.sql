-- MailSink's PostgreSQL schema, version 2: the fault rules every node shares (Faults/IFaultRuleStore,
-- PostgresFaultRuleStore), so a rule added through one node fires on all of them.

CREATE TABLE fault_rules (
    id         text        PRIMARY KEY,
    -- Evaluation order: where the rule was first added (a replace keeps its place, as on one node).
    position   bigserial   NOT NULL,
    -- The rule as the API or configuration gave it (FaultRuleSpec); each node makes the rule from it.
    spec       jsonb       NOT NULL,
    -- The shared counter: every node adds its firings here (UPDATE ... RETURNING) and takes the total back.
    fired      integer     NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX fault_rules_position ON fault_rules (position);

-- Settings changed at runtime through the API, as the API shows them (Mailpit's Chaos, MailHog's Jim): key -> JSON.
-- A setting back at its default has no row.
CREATE TABLE runtime_settings (
    key        text        PRIMARY KEY,
    value      jsonb       NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
