"""The balance cache: each account keeps its balance and the counters the rules need, filled here from the
entries that exist (the ledger itself is unchanged; `services.check_ledger` compares the two)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import Sum


def fill_cache(apps, schema_editor):
    Account = apps.get_model("funding", "Account")
    LedgerEntry = apps.get_model("funding", "LedgerEntry")

    def sums(entries, by="account_id"):
        return {row[by]: row["total"] for row in entries.values(by).annotate(total=Sum("amount_cents")).order_by()}

    balance = sums(LedgerEntry.objects.all())
    entitled = sums(LedgerEntry.objects.filter(account__kind="entitlement", transaction__kind="entitle"))
    reserved = sums(LedgerEntry.objects.filter(account__kind="reservation", transaction__kind__in=["reserve", "release"]))
    paid = {pk: -t for pk, t in sums(LedgerEntry.objects.filter(account__kind="reservation", transaction__kind="pay")).items()}
    refunds = LedgerEntry.objects.filter(transaction__kind="refund", amount_cents__lt=0)
    for pk, total in sums(refunds, by="transaction__reservation_id").items():
        paid[pk] = paid.get(pk, 0) + total
    for pk in set(balance) | set(entitled) | set(reserved) | set(paid):
        Account.objects.filter(pk=pk).update(
            balance_cents=balance.get(pk, 0), entitled_cents=entitled.get(pk, 0),
            reserved_cents=reserved.get(pk, 0), paid_cents=paid.get(pk, 0),
        )


class Migration(migrations.Migration):

    dependencies = [
        ('catalogue', '0002_place'),
        ('funding', '0002_append_only_trigger'),
        ('regions', '0002_labour_market_regions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='account',
            name='balance_cents',
            field=models.BigIntegerField(db_default=0, default=0),
        ),
        migrations.AddField(
            model_name='account',
            name='entitled_cents',
            field=models.BigIntegerField(db_default=0, default=0),
        ),
        migrations.AddField(
            model_name='account',
            name='paid_cents',
            field=models.BigIntegerField(db_default=0, default=0),
        ),
        migrations.AddField(
            model_name='account',
            name='reserved_cents',
            field=models.BigIntegerField(db_default=0, default=0),
        ),
        migrations.RunPython(fill_cache, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='ledgerentry',
            name='account',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='entries', to='funding.account'),
        ),
        migrations.AddConstraint(
            model_name='account',
            constraint=models.CheckConstraint(condition=models.Q(('balance_cents__gte', 0), ('kind', 'source'), _connector='OR'), name='account_not_below_zero'),
        ),
    ]
