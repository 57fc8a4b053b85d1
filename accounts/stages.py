"""The portal's version of allauth's e-mail verification stage of signing in (AccountAdapter.get_login_stages)."""

from allauth.account import stages


class EmailVerificationStage(stages.EmailVerificationStage):
    """Mandatory e-mail verification, except for a person signing in by a verified phone number.

    Verification is mandatory (ACCOUNT_EMAIL_VERIFICATION): nobody signs in
    before the way in they used is proven theirs. For a family that signed up
    by phone, allauth's phone stage has just done that with a code by SMS;
    asking them to verify an e-mail address they never gave would lock them
    out. Signing in by e-mail still needs that address verified.
    """

    def handle(self):
        user = self.login.user
        if user is not None and not self.login.email and user.phone and user.phone_verified:
            return None, True
        return super().handle()
