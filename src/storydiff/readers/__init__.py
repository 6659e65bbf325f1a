"""storydiff.readers"""
