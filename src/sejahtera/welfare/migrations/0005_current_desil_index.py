"""An index for the family list's desil filter: the current scores of one desil, in family order.

Without it a list filtered on a kecamatan and a desil walks the current scores of the whole
regency (14 s at 1.7 million families on PostgreSQL); with it the filter costs what the
kecamatan filter alone costs. Plain SQL (PostgreSQL and SQLite alike), outside the model's
state, so the model's own short list of indexes stays as it is.
"""

from django.db import migrations

CREATE = ("CREATE INDEX IF NOT EXISTS welfare_score_current_desil_family "
          "ON welfare_welfarescore (desil, family_id) WHERE is_current")
DROP = "DROP INDEX IF EXISTS welfare_score_current_desil_family"


class Migration(migrations.Migration):
    dependencies = [("welfare", "0004_score_indexes")]
    operations = [migrations.RunSQL(CREATE, DROP)]
