"""The JWKS cache: a rotation is picked up at once, made-up key ids and tokens that did not
verify cost at most one fetch per interval, concurrent tokens share a fetch, and an old set is
read again."""

from __future__ import annotations

import asyncio

import pytest
from joserfc.jwk import KeySet, RSAKey

from adapters.jwks import JwksCache


class Provider:
    def __init__(self) -> None:
        self.keys = [RSAKey.generate_key(2048, parameters={"kid": "k1"})]
        self.reads = 0
        self.failing = False

    async def fetch(self) -> KeySet:
        self.reads += 1
        await asyncio.sleep(0)
        if self.failing:
            raise RuntimeError("provider down")
        return KeySet([RSAKey.import_key(k.as_dict(private=False)) for k in self.keys])


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def provider() -> Provider:
    return Provider()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def cache(provider: Provider, clock: Clock) -> JwksCache:
    return JwksCache(provider.fetch, clock=clock, refetch_interval=30, max_age=3600)


def _kids(keys: KeySet) -> set[str | None]:
    return {key.kid for key in keys.keys}


async def test_a_known_key_is_served_from_the_cache(cache: JwksCache, provider: Provider) -> None:
    for _ in range(5):
        assert _kids(await cache.for_kid("k1")) == {"k1"}
    assert provider.reads == 1


async def test_a_rotation_is_picked_up_at_once(
    cache: JwksCache, provider: Provider, clock: Clock
) -> None:
    await cache.for_kid("k1")
    clock.now += 1
    provider.keys.append(RSAKey.generate_key(2048, parameters={"kid": "k2"}))

    assert "k2" in _kids(await cache.for_kid("k2"))
    assert provider.reads == 2


async def test_made_up_key_ids_cost_one_fetch_per_interval(
    cache: JwksCache, provider: Provider, clock: Clock
) -> None:
    await cache.for_kid("k1")
    for attempt in range(100):
        keys = await cache.for_kid(f"made-up-{attempt}")
        assert _kids(keys) == {"k1"}
    assert provider.reads == 2

    clock.now += 31
    await cache.for_kid("made-up-again")
    assert provider.reads == 3


async def test_concurrent_tokens_share_one_fetch(cache: JwksCache, provider: Provider) -> None:
    results = await asyncio.gather(*(cache.for_kid("k1") for _ in range(20)))
    assert all(_kids(keys) == {"k1"} for keys in results)
    assert provider.reads == 1


async def test_an_old_set_is_read_again(cache: JwksCache, provider: Provider, clock: Clock) -> None:
    await cache.for_kid("k1")
    provider.keys = [RSAKey.generate_key(2048, parameters={"kid": "k3"})]
    clock.now += 3601

    assert _kids(await cache.for_kid("k1")) == {"k3"}
    assert provider.reads == 2


async def test_a_failing_provider_raises_and_is_asked_again_later(
    cache: JwksCache, provider: Provider
) -> None:
    provider.failing = True
    with pytest.raises(RuntimeError, match="provider down"):
        await cache.for_kid("k1")
    provider.failing = False
    assert _kids(await cache.for_kid("k1")) == {"k1"}


async def test_the_set_held_is_used_until_it_is_old(
    cache: JwksCache, provider: Provider, clock: Clock
) -> None:
    assert _kids(await cache.current()) == {"k1"}
    assert _kids(await cache.current()) == {"k1"}
    assert provider.reads == 1

    clock.now += 3601
    await cache.current()
    assert provider.reads == 2


async def test_a_set_a_token_did_not_verify_against_is_read_again_once_per_interval(
    cache: JwksCache, provider: Provider, clock: Clock
) -> None:
    await cache.current()
    provider.keys = [RSAKey.generate_key(2048, parameters={"kid": "k2"})]

    for _ in range(10):
        assert _kids(await cache.again()) == {"k2"}
    assert provider.reads == 2

    clock.now += 31
    await cache.again()
    assert provider.reads == 3
