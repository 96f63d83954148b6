from tests.conftest import World


def test_world_builds(world: World) -> None:
    assert world.communities["beichen"].persons[0].community_id == world.communities["beichen"].region.pk
