"""Two-factor secrets were stored in the clear in ``mfa_authenticator.data``; encrypt them
(TOTP secret and recovery-code seed) with the key derived from SECRET_KEY."""

from django.db import migrations

FIELDS = ("secret", "seed")


def encrypt_existing(apps, schema_editor):
    from peerpath.accounts.mfa import ENCRYPTED_PREFIX, encrypt_secret

    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.all().iterator():
        data = dict(authenticator.data or {})
        changed = False
        for field in FIELDS:
            value = data.get(field)
            if isinstance(value, str) and value and not value.startswith(ENCRYPTED_PREFIX):
                data[field] = encrypt_secret(value)
                changed = True
        if changed:
            Authenticator.objects.filter(pk=authenticator.pk).update(data=data)


def decrypt_existing(apps, schema_editor):
    from peerpath.accounts.mfa import decrypt_secret

    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.all().iterator():
        data = dict(authenticator.data or {})
        for field in FIELDS:
            if isinstance(data.get(field), str):
                data[field] = decrypt_secret(data[field])
        Authenticator.objects.filter(pk=authenticator.pk).update(data=data)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_membership_history"), ("mfa", "0003_authenticator_type_uniq")]
    operations = [migrations.RunPython(encrypt_existing, decrypt_existing)]
