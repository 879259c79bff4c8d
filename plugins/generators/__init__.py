"""The built-in generation backends: ``transformers``, ``vllm`` and ``openai``.

Each imports its heavy dependency only when a generator is created.
"""

from cwmkit_plugins.generators.engine import VllmBackend
from cwmkit_plugins.generators.local import TransformersBackend
from cwmkit_plugins.generators.remote import OpenAIBackend

from cwmkit import hookimpl


@hookimpl
def register_generators(register):
    register(TransformersBackend())
    register(VllmBackend())
    register(OpenAIBackend())
