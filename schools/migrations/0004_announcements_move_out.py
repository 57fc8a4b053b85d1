"""Announcements and pick-up notices moved to their own app (announcements/): their tables stay,
only the models' home changes, so this forgets them here without touching the database.
(announcements.0001 takes them over; the core does not depend on it, so that it migrates without the
feature installed.)"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('schools', '0003_announcements_pickup_notices'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='announcementclassroom',
                    name='announcement',
                ),
                migrations.RemoveField(
                    model_name='announcementreceipt',
                    name='announcement',
                ),
                migrations.RemoveField(
                    model_name='announcementclassroom',
                    name='classroom',
                ),
                migrations.RemoveField(
                    model_name='announcementclassroom',
                    name='school',
                ),
                migrations.RemoveField(
                    model_name='announcementreceipt',
                    name='guardian',
                ),
                migrations.RemoveField(
                    model_name='announcementreceipt',
                    name='school',
                ),
                migrations.RemoveField(
                    model_name='pickupnotice',
                    name='child',
                ),
                migrations.RemoveField(
                    model_name='pickupnotice',
                    name='classroom',
                ),
                migrations.RemoveField(
                    model_name='pickupnotice',
                    name='pickup_person',
                ),
                migrations.RemoveField(
                    model_name='pickupnotice',
                    name='school',
                ),
                migrations.RemoveField(
                    model_name='pickupnotice',
                    name='sent_by',
                ),
                migrations.DeleteModel(
                    name='Announcement',
                ),
                migrations.DeleteModel(
                    name='AnnouncementClassroom',
                ),
                migrations.DeleteModel(
                    name='AnnouncementReceipt',
                ),
                migrations.DeleteModel(
                    name='PickupNotice',
                ),
            ],
            database_operations=[],
        ),
    ]
