"""On PostgreSQL, one ledger command is one call of `funding_book(command jsonb)` (issue #19: 1,000 committed
commands a second from 8 workers on 2 cores). SQLite keeps the Python path of `funding.booking`.

The function knows nothing of funds, caps or coverage: `funding.services` states each command as a
transfer (which account pays which, how much) with its checks (an account's balance, counter or offering
against a bound), and the function evaluates them under the row locks. So each rule is written once, in
services.py, and the Python path (SQLite) evaluates the very same checks (`booking.Transfer.failed`).

The command, as `booking.server_command` writes it:

    {"key", "kind", "request", "stage", "reservation": index or null, "amount": cents or null (the source's
     whole balance), "source": index, "target": index, "counts": [[index, counter, sign], ...],
     "checks": [[index, measure, op, bound], ...], "accounts": [ref, ...]}

A ref is {"id"} or {"kind", "fund", "person", "organisation", "reference", "offering", "expires_on"}.

What it does, in one statement (so one transaction in autocommit, one round trip):
1. the key booked before: the same kind and request return that transaction (replayed), another raises WL002;
2. finds the accounts, locks them in id order (two commands never wait on each other in a circle), and
   inserts missing ones (ON CONFLICT DO NOTHING: the unique constraints decide races; one made meanwhile
   by another transaction is then found and locked);
3. evaluates the checks in order; the first that fails raises WL001 with its index in DETAIL (the caller
   turns it into the refusal services.py named), and the whole statement is rolled back, new accounts too;
4. inserts the transaction (its key is unique: a concurrent twin fails here with 23505 and the caller
   replays), its two entries, and adds them to the accounts' cached balances and counters and to the
   participation monitor's copy of what a reservation paid.
"""

from django.db import migrations

FIND = r"""
CREATE OR REPLACE FUNCTION funding_account_of(ref jsonb) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    found_id bigint;
BEGIN
    -- Each kind with its literal, so the kind's partial unique index applies to the cached plan.
    IF ref ? 'id' THEN
        SELECT a.id INTO found_id FROM funding_account a WHERE a.id = (ref->>'id')::bigint;
        IF found_id IS NULL THEN
            RAISE EXCEPTION USING ERRCODE = 'WL003', MESSAGE = 'ledger: account does not exist', DETAIL = ref->>'id';
        END IF;
    ELSIF ref->>'kind' = 'source' THEN
        SELECT a.id INTO found_id FROM funding_account a
        WHERE a.kind = 'source' AND a.organisation_id = (ref->>'organisation')::bigint;
    ELSIF ref->>'kind' = 'provider' THEN
        SELECT a.id INTO found_id FROM funding_account a
        WHERE a.kind = 'provider' AND a.organisation_id = (ref->>'organisation')::bigint;
    ELSIF ref->>'kind' = 'fund' THEN
        SELECT a.id INTO found_id FROM funding_account a WHERE a.kind = 'fund' AND a.fund_id = (ref->>'fund')::bigint;
    ELSIF ref->>'kind' = 'entitlement' THEN
        SELECT a.id INTO found_id FROM funding_account a
        WHERE a.kind = 'entitlement' AND a.fund_id = (ref->>'fund')::bigint AND a.person_id = (ref->>'person')::bigint;
    ELSE
        SELECT a.id INTO found_id FROM funding_account a
        WHERE a.kind = 'reservation' AND a.fund_id = (ref->>'fund')::bigint
            AND a.person_id = (ref->>'person')::bigint AND a.reference = ref->>'reference';
    END IF;
    RETURN found_id;
END;
$$;
"""

FUNCTION = r"""
CREATE OR REPLACE FUNCTION funding_book(command jsonb)
RETURNS TABLE (booked_id bigint, booked_uuid uuid, booked_at timestamptz, booked_reservation bigint,
               booked_replayed boolean)
LANGUAGE plpgsql AS $$
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
    new_id bigint;
    new_uuid uuid;
    new_at timestamptz;
BEGIN
    -- 1. A key booked before: no locks needed.
    SELECT t.id, t.uuid, t.created_at, t.reservation_id, t.kind, t.request INTO seen
    FROM funding_ledgertransaction t WHERE t.key = command->>'key';
    IF FOUND THEN
        IF seen.kind <> command->>'kind' OR seen.request <> command->'request' THEN
            RAISE EXCEPTION USING ERRCODE = 'WL002', MESSAGE = 'ledger: this key was used for another request';
        END IF;
        RETURN QUERY SELECT seen.id, seen.uuid, seen.created_at, seen.reservation_id, true;
        RETURN;
    END IF;

    -- 2. Find the accounts; lock the ones that exist in id order (two commands never wait on each other in a
    --    circle), insert the missing ones, then lock and read them all in id order (rows we hold are no new
    --    wait; one made meanwhile by another transaction is locked here).
    FOR i IN 1..n LOOP
        ids[i] := funding_account_of(refs->(i - 1));
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

    -- 3. The command's checks, in order: the first that fails refuses the command (WL001, its index).
    -- (Loops over indexes, not over jsonb_array_elements: an expression is cheaper than a query's portal.)
    FOR j IN 0 .. jsonb_array_length(command->'checks') - 1 LOOP
        chk := command->'checks'->j;
        i := (chk->>0)::int + 1;
        bound := (chk->>3)::bigint;
        measured := CASE chk->>1
            WHEN 'balance' THEN bal[i]
            WHEN 'entitled' THEN ent[i]
            WHEN 'reserved' THEN res[i]
            WHEN 'paid' THEN paid[i]
            WHEN 'offering' THEN offerings[i]
            WHEN 'offering_reserved' THEN (
                SELECT coalesce(sum(a.reserved_cents), 0) FROM funding_account a
                WHERE a.kind = 'reservation' AND a.fund_id = funds[i] AND a.person_id = persons[i]
                    AND a.offering_id = offerings[i])
        END;
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
    INSERT INTO funding_ledgertransaction (uuid, key, kind, request, reservation_id, stage, created_at)
    VALUES (gen_random_uuid(), command->>'key', command->>'kind', command->'request', reservation,
            coalesce(command->>'stage', ''), now())
    RETURNING id, uuid, created_at INTO new_id, new_uuid, new_at;
    INSERT INTO funding_ledgerentry (transaction_id, account_id, amount_cents)
    VALUES (new_id, ids[src], -moved), (new_id, ids[dst], moved);
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
    UPDATE funding_account a
    SET balance_cents = a.balance_cents + d.b, entitled_cents = a.entitled_cents + d.e,
        reserved_cents = a.reserved_cents + d.r, paid_cents = a.paid_cents + d.p
    FROM unnest(ids, d_bal, d_ent, d_res, d_paid) AS d (id, b, e, r, p)
    WHERE a.id = d.id AND (d.b <> 0 OR d.e <> 0 OR d.r <> 0 OR d.p <> 0);
    IF any_paid THEN  -- the participation monitor's copy of what a reservation paid
        UPDATE funding_participation p SET paid_cents = p.paid_cents + d.p
        FROM unnest(ids, d_paid) AS d (id, p) WHERE p.reservation_id = d.id AND d.p <> 0;
    END IF;
    RETURN QUERY SELECT new_id, new_uuid, new_at, reservation, false;
END;
$$;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FIND)
        schema_editor.execute(FUNCTION)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS funding_book(jsonb)")
        schema_editor.execute("DROP FUNCTION IF EXISTS funding_account_of(jsonb)")


class Migration(migrations.Migration):
    dependencies = [("funding", "0009_participation_rollup")]
    operations = [migrations.RunPython(forwards, backwards)]
