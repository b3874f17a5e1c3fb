from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('asn_xblocks', '0004_attempt_summary'),
    ]

    operations = [
        migrations.CreateModel(
            name='SurveyResponse',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('course_key', models.CharField(max_length=255)),
                ('usage_key', models.CharField(max_length=255)),
                ('kind', models.CharField(max_length=16)),
                ('respondent', models.CharField(max_length=64)),
                ('answers', models.JSONField(default=dict)),
                ('comment', models.TextField(blank=True, default='')),
                ('submitted_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'indexes': [models.Index(fields=['course_key', 'kind'], name='asn_survey_course_kind')],
                'constraints': [models.UniqueConstraint(fields=('usage_key', 'respondent'), name='asn_survey_once')],
            },
        ),
    ]
