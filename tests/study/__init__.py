"""The facts sheet's example strings, played through each built-in game's reference."""
