"""Tracking events from an allow-list: a block can never be made to publish `grade` or anything else."""


def track(block, name, data):
    """Publish tracking event `name` if the block's class lists it in `tracking_events`."""
    if name not in block.tracking_events:
        raise ValueError(f'{type(block).__name__} does not publish {name!r}')
    block.runtime.publish(block, name, data)
