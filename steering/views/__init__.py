"""Steering screens: gap plans, recognition dossiers, NTM works. Split by screen."""
