"""funding_book, cheaper per call (issue #19), and one index less on the ledger's keys.

Measured with a profiler on the backend (docs/funding.md, "Ledger throughput"): a sixth of a call's CPU went to
planning, because `plan_cache_mode = auto` kept choosing custom plans for the statements whose generic plan
expects more rows than a command has (`a.id = ANY(ids)`, `unnest(ids, …)`), so they were planned on every call.
The function now runs with generic plans; an account named by id is no longer looked up before it is locked
(the locking SELECT finds it, or WL003 names it); and a check's measure is a simple expression, the one that
sums reservations a query of its own.

The pattern-ops index Django made beside the unique index on `funding_ledgertransaction.key` served no query of
the product (no LIKE on keys; the key look-up is an equality the unique index serves), but every booking wrote it.
"""

from importlib import import_module

from django.db import migrations

FUNCTION = r"""
CREATE FUNCTION funding_book(command jsonb, OUT booked_id bigint, OUT booked_uuid uuid,
                             OUT booked_at timestamptz, OUT booked_reservation bigint, OUT booked_replayed boolean)
-- One row (OUT parameters), not a set: no RETURN QUERY, so no query and no tuplestore for the answer.
LANGUAGE plpgsql
-- Generic plans: the custom plans that `auto` keeps choosing (for `= ANY(ids)` and `unnest(ids, …)` it
-- expects 10 and 100 rows against the 2 or 3 of a command) were planned again on every call.
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
    refs jsonb := command->'accounts';
    n int := jsonb_array_length(refs);
    ref jsonb;
    ids bigint[] := array_fill(NULL::bigint, ARRAY[n]);
    kinds text[] := array_fill(NULL::text, ARRAY[n]);
    funds bigint[] := array_fill(NULL::bigint, ARRAY[n]);
    persons bigint[] := array_fill(NULL::bigint, ARRAY[n]);
    offerings bigint[] := array_fill(NULL::bigint, ARRAY[n]);
    bal bigint[] := array_fill(0::bigint, ARRAY[n]);
    ent bigint[] := array_fill(0::bigint, ARRAY[n]);
    res bigint[] := array_fill(0::bigint, ARRAY[n]);
    paid bigint[] := array_fill(0::bigint, ARRAY[n]);
    d_bal bigint[] := array_fill(0::bigint, ARRAY[n]);
    d_ent bigint[] := array_fill(0::bigint, ARRAY[n]);
    d_res bigint[] := array_fill(0::bigint, ARRAY[n]);
    d_paid bigint[] := array_fill(0::bigint, ARRAY[n]);
    i int;
    j int;
    found_id bigint;
    any_paid boolean := false;
    seen record;
    acc record;
    chk jsonb;
    measured bigint;
    bound bigint;
    ok boolean;
    src int := (command->>'source')::int + 1;
    dst int := (command->>'target')::int + 1;
    moved bigint;
    reservation bigint;
BEGIN
    -- 1. A key booked before: no locks needed.
    SELECT t.id, t.uuid, t.created_at, t.reservation_id, t.kind, t.request INTO seen
    FROM funding_ledgertransaction t WHERE t.key = command->>'key';
    IF FOUND THEN
        IF seen.kind <> command->>'kind' OR seen.request <> command->'request' THEN
            RAISE EXCEPTION USING ERRCODE = 'WL002', MESSAGE = 'ledger: this key was used for another request';
        END IF;
        booked_id := seen.id; booked_uuid := seen.uuid; booked_at := seen.created_at;
        booked_reservation := seen.reservation_id; booked_replayed := true;
        RETURN;
    END IF;

    -- 2. Find the accounts; lock the ones that exist in id order (two commands never wait on each other in a
    --    circle), insert the missing ones, then lock and read them all in id order (rows we hold are no new
    --    wait; one made meanwhile by another transaction is locked here).
    -- An account named by id needs no look-up: the locking SELECT below finds it or it does not exist.
    FOR i IN 1..n LOOP
        ref := refs->(i - 1);
        IF ref ? 'id' THEN
            ids[i] := (ref->>'id')::bigint;
        ELSE
            ids[i] := funding_account_of(ref);
        END IF;
    END LOOP;
    IF array_position(ids, NULL) IS NOT NULL THEN
        PERFORM 1 FROM funding_account a WHERE a.id = ANY(ids) ORDER BY a.id FOR UPDATE;
        FOR i IN 1..n LOOP
            CONTINUE WHEN ids[i] IS NOT NULL;
            ref := refs->(i - 1);
            INSERT INTO funding_account (uuid, kind, fund_id, person_id, organisation_id, offering_id, reference,
                                         expires_on, created_at)
            VALUES (gen_random_uuid(), ref->>'kind', (ref->>'fund')::bigint, (ref->>'person')::bigint,
                    (ref->>'organisation')::bigint, (ref->>'offering')::bigint, coalesce(ref->>'reference', ''),
                    (ref->>'expires_on')::date, now())
            ON CONFLICT DO NOTHING RETURNING id INTO found_id;
            -- Nothing inserted: another transaction made it since our look-up (the unique constraint waited
            -- for it to commit), so this statement's snapshot sees it.
            ids[i] := coalesce(found_id, funding_account_of(ref));
            IF ids[i] IS NULL THEN
                RAISE EXCEPTION USING ERRCODE = 'WL009', MESSAGE = 'ledger: an account could not be made';
            END IF;
        END LOOP;
    END IF;
    FOR acc IN
        SELECT a.id, a.kind, a.fund_id, a.person_id, a.offering_id, a.balance_cents, a.entitled_cents,
               a.reserved_cents, a.paid_cents
        FROM funding_account a WHERE a.id = ANY(ids) ORDER BY a.id FOR UPDATE
    LOOP
        FOR i IN 1..n LOOP
            IF ids[i] = acc.id THEN
                kinds[i] := acc.kind; funds[i] := acc.fund_id; persons[i] := acc.person_id;
                offerings[i] := acc.offering_id; bal[i] := acc.balance_cents; ent[i] := acc.entitled_cents;
                res[i] := acc.reserved_cents; paid[i] := acc.paid_cents;
            END IF;
        END LOOP;
    END LOOP;
    FOR i IN 1..n LOOP
        IF kinds[i] IS NULL THEN  -- named by an id that no account has
            RAISE EXCEPTION USING ERRCODE = 'WL003', MESSAGE = 'ledger: account does not exist', DETAIL = ids[i]::text;
        END IF;
    END LOOP;

    -- 3. The command's checks, in order: the first that fails refuses the command (WL001, its index).
    -- (Loops over indexes, not over jsonb_array_elements: an expression is cheaper than a query's portal.)
    FOR j IN 0 .. jsonb_array_length(command->'checks') - 1 LOOP
        chk := command->'checks'->j;
        i := (chk->>0)::int + 1;
        bound := (chk->>3)::bigint;
        -- The query apart from the CASE: a CASE holding a subquery is no simple expression, and each
        -- evaluation of it would start an executor of its own.
        IF chk->>1 = 'offering_reserved' THEN
            SELECT coalesce(sum(a.reserved_cents), 0) INTO measured FROM funding_account a
            WHERE a.kind = 'reservation' AND a.fund_id = funds[i] AND a.person_id = persons[i]
                AND a.offering_id = offerings[i];
        ELSE
            measured := CASE chk->>1
                WHEN 'balance' THEN bal[i]
                WHEN 'entitled' THEN ent[i]
                WHEN 'reserved' THEN res[i]
                WHEN 'paid' THEN paid[i]
                WHEN 'offering' THEN offerings[i]
            END;
        END IF;
        ok := CASE chk->>2
            WHEN 'at_least' THEN measured >= bound
            WHEN 'at_most' THEN measured <= bound
            WHEN 'equals' THEN measured = bound
        END;
        IF ok IS NOT TRUE THEN
            RAISE EXCEPTION USING ERRCODE = 'WL001', MESSAGE = 'ledger: refused', DETAIL = j::text;
        END IF;
    END LOOP;

    -- 4. Book: one transfer, its counters, the cache.
    moved := coalesce((command->>'amount')::bigint, bal[src]);
    IF moved <= 0 OR (kinds[src] <> 'source' AND bal[src] < moved) THEN  -- services.py must refuse first
        RAISE EXCEPTION USING ERRCODE = 'WL009', MESSAGE = 'ledger: ' || (command->>'kind') || ' would move '
            || moved || ' of account ' || ids[src] || ' with ' || bal[src];
    END IF;
    IF command->>'reservation' IS NOT NULL THEN
        reservation := ids[(command->>'reservation')::int + 1];
    END IF;
    d_bal[src] := -moved;
    d_bal[dst] := d_bal[dst] + moved;
    FOR j IN 0 .. jsonb_array_length(command->'counts') - 1 LOOP
        chk := command->'counts'->j;
        i := (chk->>0)::int + 1;
        CASE chk->>1
            WHEN 'entitled_cents' THEN d_ent[i] := d_ent[i] + (chk->>2)::bigint * moved;
            WHEN 'reserved_cents' THEN d_res[i] := d_res[i] + (chk->>2)::bigint * moved;
            WHEN 'paid_cents' THEN d_paid[i] := d_paid[i] + (chk->>2)::bigint * moved; any_paid := true;
        END CASE;
    END LOOP;
    -- The transaction, its two entries, the cache and the participation monitor's copy of what a reservation
    -- paid (only when something was paid: a one-time filter), in one statement: one executor, not four.
    WITH t AS (
        INSERT INTO funding_ledgertransaction (uuid, key, kind, request, reservation_id, stage, created_at)
        VALUES (gen_random_uuid(), command->>'key', command->>'kind', command->'request', reservation,
                coalesce(command->>'stage', ''), now())
        RETURNING id, uuid, created_at
    ), e AS (
        INSERT INTO funding_ledgerentry (transaction_id, account_id, amount_cents)
        SELECT t.id, v.account_id, v.amount FROM t, (VALUES (ids[src], -moved), (ids[dst], moved)) AS v (account_id, amount)
    ), u AS (
        UPDATE funding_account a
        SET balance_cents = a.balance_cents + d.b, entitled_cents = a.entitled_cents + d.e,
            reserved_cents = a.reserved_cents + d.r, paid_cents = a.paid_cents + d.p
        FROM unnest(ids, d_bal, d_ent, d_res, d_paid) AS d (id, b, e, r, p)
        WHERE a.id = d.id AND (d.b <> 0 OR d.e <> 0 OR d.r <> 0 OR d.p <> 0)
    ), m AS (
        UPDATE funding_participation p SET paid_cents = p.paid_cents + d.p
        FROM unnest(ids, d_paid) AS d (id, p) WHERE any_paid AND p.reservation_id = d.id AND d.p <> 0
    )
    SELECT t.id, t.uuid, t.created_at INTO booked_id, booked_uuid, booked_at FROM t;
    booked_reservation := reservation;
    booked_replayed := false;
END;
$$;
"""


LIKE_INDEX = "funding_ledgertransaction_key_a8dd7e6d_like"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION funding_book(jsonb)")  # its result changes from a set to one row
        schema_editor.execute(FUNCTION)
        schema_editor.execute(f"DROP INDEX IF EXISTS {LIKE_INDEX}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION funding_book(jsonb)")
        schema_editor.execute(import_module("wendbaar.funding.migrations.0010_book_function").FUNCTION)
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {LIKE_INDEX} ON funding_ledgertransaction (key varchar_pattern_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [("funding", "0010_book_function")]
    operations = [migrations.RunPython(forwards, backwards)]
