"""The actors tool's objects in the test world."""


def build(world):
    pass
