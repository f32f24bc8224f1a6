"""lmc: cited facts about Lancang-Mekong Cooperation and cross-border crime."""

__version__ = "0.1.0"
