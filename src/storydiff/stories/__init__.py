"""storydiff.stories"""
