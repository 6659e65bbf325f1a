"""storydiff.extract"""
