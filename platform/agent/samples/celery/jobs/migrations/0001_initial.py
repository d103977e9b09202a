from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel(
            name="Done",
            fields=[
                ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("note", models.CharField(max_length=100)),
                ("uid", models.IntegerField()),
                ("at", models.DateTimeField(auto_now_add=True)),
            ],
        ),
    ]
