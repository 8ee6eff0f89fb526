"""Livestream sessions' audience and baseline (LivestreamResult) and sales per product (ProductSale)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('brands', '0006_brandchangeproposal'),
        ('campaigns', '0011_kol_text'),
        ('results', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='LivestreamResult',
            fields=[
                ('item', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, primary_key=True, related_name='livestream_result', serialize=False, to='campaigns.contentitem')),
                ('peak_viewers', models.PositiveBigIntegerField(blank=True, null=True, verbose_name='peak viewers')),
                ('viewers', models.PositiveBigIntegerField(blank=True, null=True, verbose_name='total viewers')),
                ('interactions', models.PositiveBigIntegerField(blank=True, null=True, verbose_name='interactions')),
                ('followers_gained', models.BigIntegerField(blank=True, null=True, verbose_name='followers gained')),
                ('baseline_starts_on', models.DateField(blank=True, null=True, verbose_name='baseline from')),
                ('baseline_ends_on', models.DateField(blank=True, null=True, verbose_name='baseline until')),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('entered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'livestream result',
                'verbose_name_plural': 'livestream results',
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('baseline_ends_on__isnull', True), ('baseline_starts_on__isnull', True)), ('baseline_ends_on__gte', models.F('baseline_starts_on')), _connector='OR'), name='livestreamresult_baseline_in_order', violation_error_message='The baseline period cannot end before it starts.')],
            },
        ),
        migrations.CreateModel(
            name='ProductSale',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('source_key', models.CharField(max_length=200)),
                ('product_code', models.CharField(max_length=40, verbose_name='SKU code')),
                ('product_name', models.CharField(blank=True, max_length=160, verbose_name='product')),
                ('day', models.DateField(verbose_name='day')),
                ('items_sold', models.PositiveBigIntegerField(default=0, verbose_name='items sold')),
                ('gmv_cny', models.DecimalField(decimal_places=2, default=0, max_digits=16, verbose_name='GMV (CNY)')),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('brand', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='product_sales', to='brands.brand')),
                ('entered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('item', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='product_sales', to='campaigns.contentitem')),
                ('product', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='sales', to='brands.product')),
                ('source', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='product_sales', to='results.metricsource')),
            ],
            options={
                'verbose_name': 'product sales',
                'verbose_name_plural': 'product sales',
                'ordering': ['day', 'product_code'],
                'indexes': [models.Index(fields=['product', 'day'], name='productsale_product_day'), models.Index(condition=models.Q(('item__isnull', False)), fields=['item'], name='productsale_item')],
                'constraints': [models.UniqueConstraint(fields=('source', 'source_key'), name='productsale_source_key_unique', violation_error_message='This source has sales with this key already.')],
            },
        ),
    ]
