"""Rasa NLU graph components, one module per concern (named in config.yml by module path):

* ``procedures.ProcedureEntities``: procedure entities in canonical form, never lost;
* ``questions``: ``DefinitionQuestions``, ``TaskRequests``, ``ClosingThanks``;
* ``statements.StatementsNamingATest``: a statement or greeting that names a test;
* ``red_flag_guard.RedFlagGuard``: the red-flag guard, last in the pipeline;
* ``common``: what they share.
"""
