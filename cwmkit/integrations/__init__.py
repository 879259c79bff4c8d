"""cwmkit inside other frameworks, each module needing its own extra: the verifier as an
RL engine's reward (``verl``, with what they share in ``_reward``), and the OpenSpiel
bridge (``openspiel``): any GameCWM as a pyspiel game, so OpenSpiel's algorithms run on
it, and any pyspiel game as a GameCWM, so the verifier and the planners run on it.
"""
