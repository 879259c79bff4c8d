"""The built-in verification tiers, one module each, registered in tier order."""

from cwmkit_plugins.checks.differential import DifferentialCheck
from cwmkit_plugins.checks.dynamics import DynamicsCheck
from cwmkit_plugins.checks.information import InformationCheck
from cwmkit_plugins.checks.privacy import PrivacyCheck
from cwmkit_plugins.checks.scenarios import ScenariosCheck
from cwmkit_plugins.checks.static import StaticCheck
from cwmkit_plugins.checks.utility import UtilityCheck

from cwmkit import hookimpl

TIERS = (StaticCheck, DynamicsCheck, UtilityCheck, InformationCheck, PrivacyCheck,
         ScenariosCheck, DifferentialCheck)


@hookimpl
def register_checks(register):
    for tier in TIERS:
        register(tier())
