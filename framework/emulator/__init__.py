"""A faithful emulator of Marketo's REST API for custom activity types and custom object types,
served over real HTTP.

The embedded `local` instance, the test bed and the benchmark target. Behaviour follows
Adobe's documentation and Swagger specs, starting from
https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/lead-database/activities
and https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/lead-database/custom-objects;
every choice they leave open is written down in BEHAVIOUR.md.
"""

from framework.emulator.config import EmulatorConfig
from framework.emulator.server import EmulatorServer

__all__ = ["EmulatorConfig", "EmulatorServer"]
