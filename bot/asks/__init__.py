"""What a message asks, read from its words where the classifier alone gets it wrong.

Plain regular expressions, one module per kind of question. The NLU components (bot/components/)
and the action server (actions/) both use them, so nothing here imports Rasa.
"""
